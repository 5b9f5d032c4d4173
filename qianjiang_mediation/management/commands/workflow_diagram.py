"""Print the case workflow as a Mermaid state diagram, generated from the transitions table."""

from django.core.management.base import BaseCommand

from cases.workflow import TRANSITIONS


class Command(BaseCommand):
    help = "输出案件流程图（Mermaid 格式），由状态转换表生成，可粘贴到 README。"

    def handle(self, *args, **options):
        self.stdout.write("stateDiagram-v2")
        for transition in TRANSITIONS.values():
            for source in sorted(transition.sources):
                self.stdout.write(
                    f"    {source.value} --> {transition.target.value}: {transition.label}"
                )
