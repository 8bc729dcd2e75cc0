import polib

from odoo.tests import TransactionCase, tagged

from .translation_check import po_problems, translation_problems

CODE = 'addons/isp_x/models/a.py:0'
VIEW = 'model_terms:ir.ui.view,arch_db:isp_x.view'


@tagged('post_install', '-at_install')
class TestTranslations(TransactionCase):

    def test_spanish_translates_every_term(self):
        problems = translation_problems(self.env, 'isp_core')
        self.assertFalse(problems, "isp_core/i18n/es.po:\n" + "\n".join(problems))

    def test_checker_names_each_problem(self):
        terms = {
            "Suspend": [(VIEW, "Suspender")],
            "ID": [(VIEW, "")],
            "Plan %(plan)s from %s": [(CODE, "")],
            '<i class="fa fa-check" title="Paid"/>Paid': [(VIEW, '<i class="fa fa-check" title="Pagada"/>Pagada')],
            '<i class="fa fa-ban"/>Stop': [(VIEW, "")],
            "Dropped": [(VIEW, "Dropped"), (CODE, "Descartado")],
            "Missing": [(CODE, None)],
            "Empty": [(CODE, None)],
            "Fuzzy": [(CODE, None)],
        }
        entries = [
            polib.POEntry(msgid="Suspend", msgstr="Suspender"),
            # the same word in both languages: Odoo stores no translation, and needs none
            polib.POEntry(msgid="ID", msgstr="ID"),
            polib.POEntry(msgid="Plan %(plan)s from %s", msgstr="Plan %(plan_id)s desde %s"),
            # a translated attribute may change, the rest of the markup may not
            polib.POEntry(msgid='<i class="fa fa-check" title="Paid"/>Paid',
                          msgstr='<i class="fa fa-check" title="Pagada"/>Pagada'),
            polib.POEntry(msgid='<i class="fa fa-ban"/>Stop', msgstr='<i class="fa fa-stop"/>Parar'),
            polib.POEntry(msgid="Dropped", msgstr="Descartado"),
            polib.POEntry(msgid="Empty", msgstr=""),
            polib.POEntry(msgid="Fuzzy", msgstr="Dudoso", flags=['fuzzy']),
            polib.POEntry(msgid="Gone", msgstr="Ido"),
        ]
        self.assertEqual(po_problems(terms, entries), [
            "placeholders: '<i class=\"fa fa-ban\"/>Stop' -> '<i class=\"fa fa-stop\"/>Parar': "
            "lacks <i class=\"fa fa-ban\"/>; adds <i class=\"fa fa-stop\"/>",
            f"not applied: 'Dropped' -> 'Descartado': Odoo shows 'Dropped' ({VIEW})",
            f"empty: 'Empty' ({CODE})",
            f"fuzzy: 'Fuzzy' ({CODE})",
            f"missing: 'Missing' ({CODE})",
            "placeholders: 'Plan %(plan)s from %s' -> 'Plan %(plan_id)s desde %s': lacks %(plan)s; adds %(plan_id)s",
            "obsolete: 'Gone' is no longer a term",
        ])
