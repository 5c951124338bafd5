"""Demo data: a generated but realistic Fuzhou installation to try lvzhi on.

What ``seed_demo`` builds:

- the Fuzhou city congress (第十六届, sessions 2022-2026), the provincial congress whose deputies
  elected in Fuzhou the city standing committee services (第十四届, 2023-2026), and the 13
  county-level congresses under the city;
- the city's 13 electoral units and their delegations, the provincial congress's unit 福州市;
- fields of work, territorial and sectoral deputy groups, the committees, ~60 handling units under
  the real names of Fuzhou's organs;
- ~560 city deputies and ~100 provincial deputies (some persons hold both mandates) with a
  realistic composition, and a few qualification events (suspensions, terminations, by-elections);
- one demo account per role (``accounts.DEMO_ACCOUNTS``), password ``settings.LVZHI_DEMO_PASSWORD``;
- with ``--suggestions N``: N generated suggestions at every step of their life (``suggestions``),
  the demo deputy leading one at each step, and the supervision of some (``supervision``).

Bodies and organs carry their real names; **people never do**: every name, ID number, phone and
address is generated from fragments with a fixed random seed, so two runs build the same data.

The plan is built in memory first (``plan.build_plan``: pure, deterministic) and then written
through the registry's own services (``deputies.services.deputy_create``, ``mandate_event_record``),
so the demo data satisfies every invariant that staff-entered data does: election events, derived
status, pinyin search fields, row history.

The modules, by subject: ``structure`` (the fixed facts and the bodies), ``accounts``, ``people``
(generated persons), ``plan``, ``deputies`` (seating them), ``seed`` (``seed_demo``),
``suggestions`` with ``suggestion_plan`` and ``bulk`` (the suggestion generator, also used by the
benchmarks), ``supervision``. This app sits above every domain app and nothing imports it but its
management commands (``seed_demo``, ``demo_accounts``, ``seed_suggestions``), which refuse to run
unless ``settings.LVZHI_ALLOW_DEMO`` is true.
"""
