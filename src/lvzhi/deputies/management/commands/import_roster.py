"""lvzhi import_roster FILE --congress ID --term ID [--apply] [--user USERNAME]

The roster import from the command line, through the same services as the pages: check the file,
print every problem with its row and column (exit status 1) or the preview; with --apply, import it.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import OFFICE_ROLES, can_import_roster
from lvzhi.core.errors import DomainError
from lvzhi.deputies.choices import RosterImportStatus
from lvzhi.deputies.importer import roster_import_apply, roster_import_create
from lvzhi.organizations.models import Congress, Term


class Command(BaseCommand):
    help = "校验并导入代表名册（.xlsx）：列出每个问题的行和列；加 --apply 确认导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（用导入模板填写的 .xlsx）")
        parser.add_argument("--congress", type=int, required=True, help="人大的 ID")
        parser.add_argument("--term", type=int, required=True, help="届的 ID")
        parser.add_argument("--apply", action="store_true", help="校验通过后确认导入")
        parser.add_argument("--user", help="记为上传人和确认人的用户名（默认：第一位系统管理员）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：{path}").format(path=path))
        congress = Congress.objects.filter(pk=options["congress"]).first()
        if congress is None:
            raise CommandError(_("没有 ID 为 {id} 的人大。").format(id=options["congress"]))
        term = Term.objects.select_related("congress").filter(pk=options["term"]).first()
        if term is None:
            raise CommandError(_("没有 ID 为 {id} 的届。").format(id=options["term"]))
        actor = self._actor(options.get("user"))

        try:
            with path.open("rb") as handle:
                roster_import = roster_import_create(
                    file=File(handle, name=path.name),
                    congress=congress,
                    term=term,
                    actor=actor,
                    run_inline=True,
                )
        except DomainError as error:
            raise CommandError(error.message) from error

        if roster_import.status != RosterImportStatus.VALIDATED:
            for error in roster_import.errors:
                self.stdout.write(self._describe(error))
            raise CommandError(
                _("{status}：共 {count} 个问题，未导入任何数据（名册导入 #{pk}）。").format(
                    status=roster_import.get_status_display(),
                    count=len(roster_import.errors),
                    pk=roster_import.pk,
                )
            )

        self._print_preview(roster_import.preview)
        if not options["apply"]:
            self.stdout.write(
                _("尚未导入（名册导入 #{pk}）：加 --apply 确认导入。").format(pk=roster_import.pk)
            )
            return

        roster_import = roster_import_apply(import_id=roster_import.pk, actor=actor, run_inline=True)
        if roster_import.status != RosterImportStatus.APPLIED:
            for error in roster_import.errors:
                self.stdout.write(self._describe(error))
            raise CommandError(
                _("{status}：未导入任何数据。").format(status=roster_import.get_status_display())
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：已导入 {count} 名代表。").format(count=roster_import.created_count)
            )
        )

    def _actor(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(_("没有用户名为“{username}”的用户。").format(username=username))
        else:
            actor = (
                users.filter(Q(is_superuser=True) | Q(role__in=OFFICE_ROLES))
                .order_by("-is_superuser", "pk")
                .first()
            )
            if actor is None:
                raise CommandError(_("请用 --user 指定一名代表工委工作人员的用户名。"))
        if not can_import_roster(actor):
            raise CommandError(_("用户“{username}”没有导入代表名册的权限。").format(username=actor.username))
        return actor

    @staticmethod
    def _describe(error: dict) -> str:
        where = _("第{row}行").format(row=error["row"]) if error.get("row") else _("文件")
        if error.get("column"):
            where += f"［{error['column']}］"
        return f"{where}：{error['message']}"

    def _print_preview(self, preview: dict) -> None:
        self.stdout.write(
            _(
                "校验通过：共 {rows} 名代表，其中新增人员 {new} 名，已登记人员新增代表资格 {existing} 名，"
                "基层代表 {grassroots} 名。"
            ).format(
                rows=preview["rows"],
                new=preview["new_persons"],
                existing=preview["existing_persons"],
                grassroots=preview["grassroots"],
            )
        )
        units = "、".join(f"{unit['name']} {unit['count']}" for unit in preview["by_electoral_unit"])
        self.stdout.write(_("各选举单位：{units}").format(units=units))
