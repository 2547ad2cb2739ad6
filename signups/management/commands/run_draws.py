from django.core.management.base import BaseCommand

from signups import services


class Command(BaseCommand):
    help = "Run the draw (摇号) for every draw-mode occurrence whose sign-up window has closed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help=(
                "Instead of drawing, replay every recorded draw from its seed, with the shuffle "
                "it was made with, and compare."
            ),
        )

    def handle(self, *args, verify=False, **options):
        if verify:
            from signups.models import Draw

            # Each draw is replayed with the shuffle it was made with (Draw.algorithm): Python's
            # random.shuffle for old draws (same Python line only), the project's own since.
            mismatches = checked = legacy = 0
            for draw in Draw.objects.order_by("pk"):
                checked += 1
                legacy += draw.algorithm == services.DRAW_ALGORITHM_PYTHON_RANDOM
                if services.replay_draw(draw) != draw.order:
                    mismatches += 1
                    self.stderr.write(f"draw {draw.pk} (occurrence {draw.occurrence_id}) differs")
            self.stdout.write(
                f"checked {checked} draw(s) ({legacy} with the legacy random.shuffle), "
                f"{mismatches} mismatch(es)"
            )
            if mismatches:
                raise SystemExit(1)
            return
        ran = 0
        for occurrence in services.draws_due():
            try:
                draw = services.run_draw(occurrence.pk)
            except services.SignupError as refusal:
                self.stderr.write(f"occurrence {occurrence.pk}: {refusal.message}")
                continue
            ran += 1
            self.stdout.write(
                f"occurrence {occurrence.pk}: drew {len(draw.pool)} applicant(s) "
                f"for {draw.capacity} seat(s), seed {draw.seed}"
            )
        self.stdout.write(f"{ran} draw(s) run")
