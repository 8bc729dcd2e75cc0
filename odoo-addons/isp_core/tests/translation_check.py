"""Completeness of an addon's translation, judged on the terms Odoo's own exporter reads.

Shared by the translation test of every ISP addon (``tests/test_translations.py``). A term of the
addon that ``i18n/<lang>.po`` lacks, leaves empty or marks fuzzy is a problem, and so is a
translation whose placeholders or markup differ from the English: Odoo would fail formatting it,
or drop it from the view (the file is loaded, and what Odoo then shows is compared). An entry for
a term the addon no longer has is a problem too, so the file follows the code.

To bring a file up to date, export the addon's terms from a database where it is installed and
merge them, keeping the existing translations and dropping the obsolete ones, then translate the
entries left empty:

    odoo i18n export -c odoo.conf -d <db> -o /tmp/<addon>.pot <addon>
    msgmerge -q --no-fuzzy-matching <addon>/i18n/es.po /tmp/<addon>.pot \\
        | msgattrib --no-obsolete -o <addon>/i18n/es.po
"""
import re
from collections import Counter
from pathlib import Path

import polib

from odoo.modules import get_module_path
from odoo.tools.translate import TRANSLATED_ATTRS, TranslationModuleReader

# printf-style (%s, %(name)s, %.2f, %%) and format-style ({name}, {{ expr }}, #{expr}) placeholders
_PLACEHOLDER = re.compile(r"%%|%(?:\([^)]*\))?[-+#0]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{\{.*?\}\}|#?\{[^{}]*\}")
_TAG = re.compile(r"""<\s*(/?)\s*([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)\s*(/?)\s*>""")
_ATTR = re.compile(r"""([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def _markup(text):
    """The tags of ``text``; the value of an attribute Odoo translates (title, alt...) is left out."""
    tags = []
    for closing, name, attrs, self_closing in _TAG.findall(text):
        kept = sorted(
            f"{key}" if key in TRANSLATED_ATTRS or key.endswith('.translate') else f"{key}={value}"
            for key, value in _ATTR.findall(attrs))
        tags.append(f"<{closing}{name}{''.join(' ' + attr for attr in kept)}{self_closing}>")
    return tags


def _tokens(text):
    return Counter(_PLACEHOLDER.findall(text)) + Counter(_markup(text))


def placeholder_diff(source, translation):
    """What ``translation`` lacks or adds in placeholders and markup, as text; empty when they match."""
    expected, found = _tokens(source), _tokens(translation)
    parts = []
    if missing := expected - found:
        parts.append("lacks " + " ".join(sorted(missing.elements())))
    if extra := found - expected:
        parts.append("adds " + " ".join(sorted(extra.elements())))
    return "; ".join(parts)


def exported_terms(env, module, lang=None):
    """``{term: [(where, value), ...]}`` for the terms ``odoo i18n export`` writes for ``module`` (code,
    views, data); ``value`` is the translation in ``lang`` Odoo uses (empty when none), ``None`` without
    ``lang``."""
    terms = {}
    reader = TranslationModuleReader(env.cr, modules=[module], lang=lang)
    for term_module, ttype, name, res_id, source, value, _comments in reader:
        if term_module == module:
            where = f"{name}:{res_id}" if ttype == 'code' else f"{ttype}:{name}:{res_id}"
            terms.setdefault(source, []).append((where, value if lang else None))
    return terms


def po_problems(terms, entries):
    """The problems of the po ``entries`` (polib) against ``terms`` (see ``exported_terms``), one line each."""
    by_msgid = {entry.msgid: entry for entry in entries if not entry.obsolete}
    problems = []
    for term, places in sorted(terms.items()):
        entry = by_msgid.get(term)
        where = places[0][0]
        if entry is None:
            problems.append(f"missing: {term!r} ({where})")
        elif not entry.msgstr.strip():
            problems.append(f"empty: {term!r} ({where})")
        elif 'fuzzy' in entry.flags:
            problems.append(f"fuzzy: {term!r} ({where})")
        elif diff := placeholder_diff(term, entry.msgstr):
            problems.append(f"placeholders: {term!r} -> {entry.msgstr!r}: {diff}")
        elif entry.msgstr != term:
            # Odoo silently keeps the English where a view's translation does not fit its markup.
            problems += [f"not applied: {term!r} -> {entry.msgstr!r}: Odoo shows {value or term!r} ({place})"
                         for place, value in places if value is not None and value != entry.msgstr]
    problems += [f"obsolete: {msgid!r} is no longer a term" for msgid in sorted(by_msgid.keys() - terms.keys())]
    return problems


def translation_problems(env, module, lang='es_ES'):
    """The problems of ``module``'s po file for ``lang`` against the addon's current terms, once Odoo has
    loaded that file as installing the language does (in the caller's transaction)."""
    language = env['res.lang']._activate_lang(lang)
    path = Path(get_module_path(module), 'i18n', f'{language.iso_code}.po')
    if not path.is_file():
        return [f"{path} does not exist"]
    env['ir.module.module']._load_module_terms([module], [lang], overwrite=True)
    return po_problems(exported_terms(env, module, lang), polib.pofile(str(path)))
