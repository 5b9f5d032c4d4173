"""System checks: the server can print Chinese documents."""

from __future__ import annotations

import shutil
import subprocess

from django.core import checks

FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")


@checks.register(checks.Tags.compatibility)
def fonts_and_pango(app_configs, **kwargs):
    problems = []
    try:
        import weasyprint  # noqa: F401 - loading it loads Pango
    except OSError as exc:
        problems.append(
            checks.Error(
                f"WeasyPrint cannot load Pango ({exc}); documents cannot be printed.",
                hint="apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
                id="documents.E001",
            )
        )
    fc_list = shutil.which("fc-list")
    installed = ""
    if fc_list:
        installed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, check=False
        ).stdout
    missing = [font for font in FONTS if font not in installed]
    if missing:
        problems.append(
            checks.Warning(
                f"Fonts {', '.join(missing)} not found: Chinese text in generated PDFs would "
                "print as empty boxes.",
                hint="apt-get install fonts-noto-cjk",
                id="documents.W001",
            )
        )
    return problems
