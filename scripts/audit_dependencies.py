"""Known vulnerabilities in the locked dependencies: pip-audit over a lock file.

Usage: python scripts/audit_dependencies.py requirements-dev.lock

pip-audit checks each pinned release against PyPI's vulnerability data (the per-release JSON API,
``--vulnerability-service pypi``), without installing anything (``--no-deps --disable-pip``: the
lock already names every package). Exit status 1 when a locked release has a known vulnerability.

A package pip-audit could not look up is listed. When it could look up none at all (the machine
reaches the package index but not the vulnerability data), the audit says so loudly and exits 0,
so that CI on a machine without that access still runs its tests; ``AUDIT_STRICT=1`` makes that
case fail too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(lock_file: str) -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "audit.json"
        command = [
            str(pip_audit),
            "--requirement",
            lock_file,
            "--require-hashes",
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            "pypi",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(report_path),
        ]
        finished = subprocess.run(command, capture_output=True, text=True)
        if not report_path.exists():
            sys.stderr.write(finished.stdout + finished.stderr)
            print(f"pip-audit did not finish (exit {finished.returncode})", file=sys.stderr)
            return 2
        report = json.loads(report_path.read_text())

    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixes})")
    if skipped and audited:
        for dep in skipped:
            print(f"not audited: {dep['name']}=={dep['version']}: {dep['skip_reason']}")

    if vulnerable:
        print(f"{len(vulnerable)} locked package(s) with known vulnerabilities in {lock_file}")
        return 1
    if dependencies and not audited:
        print(
            f"WARNING: no vulnerability data reachable; the {len(dependencies)} packages in "
            f"{lock_file} were NOT audited (PyPI's per-release JSON API did not answer).",
            file=sys.stderr,
        )
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    print(f"{audited} locked package(s) audited, no known vulnerabilities ({len(skipped)} skipped)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
