"""Write a new settings resource from the templates beside this file (see scripts/new-resource)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {
    "__init__.py.tmpl": "src/zcrm_emulator/resources/{name}/__init__.py",
    "routes.py.tmpl": "src/zcrm_emulator/resources/{name}/routes.py",
    "rules.py.tmpl": "src/zcrm_emulator/resources/{name}/rules.py",
    "service.py.tmpl": "src/zcrm_emulator/resources/{name}/service.py",
    "repo.py.tmpl": "src/zcrm_emulator/resources/{name}/repo.py",
    "test_resource.py.tmpl": "tests/resources/{name}/test_{name}.py",
}
TABLE = """

# --- {title} (scripts/new-resource) ---------------------------------------------------------------
{name} = Table(
    "{name}",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Scaffold a CRM settings resource")
    parser.add_argument("name", help="snake_case name: the folder, the table, the envelope key")
    parser.add_argument("title", nargs="?", help="what it is called in prose (default: from the name)")
    parser.add_argument("--root", type=Path, default=HERE.parents[1], help="the checkout to write into")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", args.name):
        parser.error("the name is snake_case: lower-case letters, digits and underscores")
    title = args.title or args.name.replace("_", " ")
    values = {
        "name": args.name,
        "path": args.name,
        "table": args.name,
        "title": title,
        "singular": title[:-1].capitalize() if title.endswith("s") else title.capitalize(),
    }
    targets = {template: args.root / target.format(**values) for template, target in FILES.items()}
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing:
        parser.error(f"already there: {', '.join(existing)}")
    for template, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((HERE / template).read_text().format(**values))
    (args.root / f"tests/resources/{args.name}/__init__.py").touch()
    schema = args.root / "src/zcrm_emulator/store/schema.py"
    schema.write_text(schema.read_text() + TABLE.format(**values))
    written = [str(path) for path in targets.values()]
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", *written], check=True)
    print(f"wrote src/zcrm_emulator/resources/{args.name}/, its table in store/schema.py and a first test. Next:")
    print(f"  1. add `from zcrm_emulator.resources.{args.name}.routes import ENDPOINTS as ...` to endpoints.py")
    print(f'  2. scripts/new-migration <id> "{title}" 0001   (the table\'s revision)')
    print(f"  3. .venv/bin/pytest tests/resources/{args.name}")


if __name__ == "__main__":
    main()
