"""``lvzhi carry_over_supervision --year 2025``: carry over the unfinished key supervision items of a
year to the next (what the yearly job does on 1 January; idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.organizations.models import Congress
from lvzhi.supervision import services


class Command(BaseCommand):
    help = "把某年度未完成的重点督办事项结转到下一年度（默认上一年度）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="结转哪一年度的督办事项（默认上一年度）")
        parser.add_argument("--congress", type=int, help="只结转该人大（编号）的督办事项")

    def handle(self, *args, year=None, congress=None, **options):
        year = year if year is not None else timezone.localdate().year - 1
        body = None
        if congress is not None:
            body = Congress.objects.filter(pk=congress).first()
            if body is None:
                raise CommandError(f"人大（{congress}）不存在。")
        try:
            carried = services.supervision_carry_over(year=year, congress=body)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{year}年度未完成的重点督办事项：结转{len(carried)}项到{year + 1}年度。")
