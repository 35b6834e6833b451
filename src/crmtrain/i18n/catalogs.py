"""Maintaining the gettext catalogs with Babel: extract msgids into the .po files, compile .mo.

Run as ``python -m crmtrain.i18n update|compile``. Never imported by trainee kernels.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import DOMAIN, LANGUAGES, LOCALE_DIR

# Call names whose leading string literals are msgids: how many (ngettext: singular, plural).
KEYWORDS = {"_": 1, "gettext": 1, "N_": 1, "ngettext": 2, "plural": 2}


def po_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The .po catalogs, one per language."""
    return [locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po" for lang in LANGUAGES]


def compile_po(po: Path) -> bytes:
    """The .mo bytes compiled from one .po file (needs Babel)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parent.parent.name, domain=DOMAIN)
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every .po next to it as .mo; return the .mo paths."""
    written = []
    for po in po_files(locale_dir):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


def extract_messages(
    package_dir: Path = LOCALE_DIR.parent, under: str = ""
) -> list[tuple[str, int, str | tuple[str, str]]]:
    """(file, line, msgid) of each literal gettext call under the package, f-strings included."""
    import ast

    found = []
    for path in sorted((package_dir / under).rglob("*.py")):
        rel = path.relative_to(package_dir.parent).as_posix()
        # ast, not Babel's tokenizer: it also sees calls written inside f-strings.
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name == "Field":  # a model field's description: the schema's hover help, translated
                found += [(rel, node.lineno, kw.value.value) for kw in node.keywords if kw.arg == "description"
                          and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)]
                continue
            arity = KEYWORDS.get(name or "")
            texts = [a.value for a in node.args[:arity or 0] if isinstance(a, ast.Constant)]
            if arity and len(texts) == arity and all(isinstance(t, str) for t in texts):
                found.append((rel, node.lineno, texts[0] if arity == 1 else (texts[0], texts[1])))
    return sorted(found, key=lambda f: (f[0], f[1]))


def extract_template(package_dir: Path = LOCALE_DIR.parent):
    """A Babel template catalog of every msgid used in the package's Python files."""
    from babel.messages.catalog import Catalog

    template = Catalog(domain=DOMAIN, project="crmtrain", fuzzy=False)
    for filename, lineno, message in extract_messages(package_dir):
        template.add(message, locations=[(filename, lineno)])
    return template


def update_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Merge freshly extracted msgids into both .po files, keeping their translations."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract_template()
    for po in po_files(locale_dir):
        lang = po.parent.parent.name
        if po.exists():
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=lang, domain=DOMAIN, project="crmtrain", version="1", fuzzy=False,
                header_comment=f"# crmtrain: texts trainees see ({lang}). Edit here, then run\n"
                "# `python -m crmtrain.i18n compile`; `... update` picks up new msgids.",
                msgid_bugs_address="", last_translator="crmtrain", language_team=lang,
            )
        # Keep the header date: only real msgid or translation changes should show in diffs.
        template.creation_date = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as f:
            # Grouped by source file without line numbers, so diffs show real text changes.
            write_po(f, catalog, sort_by_file=True, include_lineno=False, ignore_obsolete=True, width=100)
    return po_files(locale_dir)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m crmtrain.i18n compile|update``."""
    args = sys.argv[1:] if argv is None else argv
    commands = {"compile": compile_catalogs, "update": update_catalogs}
    if len(args) != 1 or args[0] not in commands:
        print("usage: python -m crmtrain.i18n {compile|update}", file=sys.stderr)
        return 2
    for path in commands[args[0]]():
        print(path)
    return 0

