"""`lvzhi run`'s options: `--help` prints help and touches nothing; `--port` is passed through."""

import sys

import pytest

from lvzhi import cli


def test_run_help_prints_help_and_changes_nothing(monkeypatch, capsys):
    started: list[str] = []
    monkeypatch.setattr(sys, "argv", ["lvzhi", "run", "--help"])
    monkeypatch.setattr(cli, "run", started.append)

    with pytest.raises(SystemExit) as exited:
        cli.main()

    assert exited.value.code == 0
    assert "--port" in capsys.readouterr().out
    assert started == []


def test_run_passes_the_port_through(monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(sys, "argv", ["lvzhi", "run", "--port", "8100"])
    monkeypatch.setattr(cli, "run", started.append)

    cli.main()

    assert started == ["8100"]


def test_run_refuses_an_unknown_option_and_starts_nothing(monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(sys, "argv", ["lvzhi", "run", "--prot", "8100"])
    monkeypatch.setattr(cli, "run", started.append)

    with pytest.raises(SystemExit) as exited:
        cli.main()

    assert exited.value.code == 2
    assert started == []
