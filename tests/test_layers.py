"""The package's imports point one way, at module level, as the models
package's docstring describes: a newcomer reads a module's header and knows
every app module it uses, and no import cycle can break app loading."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wagtail_petition"

#: (importing module, imported module) allowed inside a function, each with why.
LOCAL_IMPORTS_ALLOWED = {
    # django-recaptcha is an optional dependency, imported only when it is configured.
    ("wagtail_petition.forms", "wagtail_petition.recaptcha"),
    # Purging imports the models, which an app's module may not do before ready().
    ("wagtail_petition.apps", "wagtail_petition.purging"),
    # Publishing's receivers import the models too.
    ("wagtail_petition.apps", "wagtail_petition.publishing"),
    # So do the milestone alerts' (the records, and Wagtail's admin).
    ("wagtail_petition.apps", "wagtail_petition.alerts"),
    # And the webhooks' (the records).
    ("wagtail_petition.apps", "wagtail_petition.webhooks"),
}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules an import statement names, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module.split(".")
    if node.level:
        base = base[: len(base) - node.level + (1 if is_package else 0)]
    if node.module:
        return [".".join([*base, node.module]) if node.level else node.module]
    return [".".join([*base, alias.name]) for alias in node.names]


def local_app_imports(path: Path, root: Path = ROOT) -> set[tuple[str, str]]:
    """(module, imported app module) for each import of the app inside a
    function or class of the module at ``path`` (under ``root``)."""
    module = module_name(path, root)
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for top in tree.body:
        if isinstance(top, ast.Import | ast.ImportFrom):
            continue
        for node in ast.walk(top):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in imported_modules(node, module, path.name == "__init__.py"):
                    if name.split(".")[0] == "wagtail_petition":
                        found.add((module, name))
    return found


def package_modules():
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_imports_an_app_module_inside_a_function():
    local = set().union(*(local_app_imports(path) for path in package_modules()))
    assert local - LOCAL_IMPORTS_ALLOWED == set()
    # The allow-list names only imports that still exist.
    assert local >= LOCAL_IMPORTS_ALLOWED


def test_the_check_finds_a_local_import(tmp_path):
    module = tmp_path / "wagtail_petition" / "views" / "sign.py"
    module.parent.mkdir(parents=True)
    module.write_text("import json\n\n\ndef sign():\n    from ..models import pages\n")
    assert local_app_imports(module, tmp_path) == {
        ("wagtail_petition.views.sign", "wagtail_petition.models")
    }


def test_every_import_points_down_and_no_cycle_remains():
    # The contracts are in pyproject.toml ([tool.importlinter]).
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache", "--config", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
