"""Tests of the budget-per-sdg example on a graph small enough to check by hand.

Run: python3 -m unittest discover -s examples/analyses/tests -t examples/analyses"""

import importlib.machinery
import importlib.util
import os
import unittest

from linkage_analysis import make_request, text

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("budget_per_sdg", os.path.join(HERE, "..", "budget-per-sdg"))
spec = importlib.util.spec_from_loader("budget_per_sdg", loader)
budget_per_sdg = importlib.util.module_from_spec(spec)
loader.exec_module(budget_per_sdg)

# Theme A (CHF 300) continues output O1, which advances targets 9.c and 4.4 and goal 4;
# theme B (CHF 100) continues nothing.
REQUEST = make_request(
    nodes=[("TH-A", "op-theme", "Theme A", {"budget_chf": 300, "section": "3.1"}),
           ("TH-B", "op-theme", "Theme B", {"budget_chf": 100, "section": "3.2"}),
           ("O1", "baap-output", "Output 1"),
           ("SDG-4", "sdg-goal", "Goal 4", {"colour": "#C5192D"}), ("SDG-9", "sdg-goal", "Goal 9", {"colour": "#FD6925"}),
           ("SDG-4.4", "sdg-target", "Target 4.4"), ("SDG-9.c", "sdg-target", "Target 9.c")],
    edges=[("SDG-4.4", "part-of", "SDG-4"), ("SDG-9.c", "part-of", "SDG-9"),
           ("TH-A", "continues", "O1", "derived"),
           ("O1", "advances-sdg", "SDG-9.c"), ("O1", "advances-sdg", "SDG-4.4"), ("O1", "advances-sdg", "SDG-4")],
    plans=[{"id": "op23", "label": text("OP-23"), "elements": ["op-theme"]}])


class BudgetPerSDGTests(unittest.TestCase):
    def setUp(self):
        self.result = budget_per_sdg.analysis.execute(REQUEST)
        self.goals = {row[0]["id"] if isinstance(row[0], dict) else row[0]: row for row in self.result["tables"][0]["rows"]}

    def test_equal_shares_split_a_theme_over_its_sdg_links(self):
        # 300 over three links: goal 4 gets two (4.4 and 4), goal 9 one (9.c).
        self.assertEqual(self.goals["SDG-4"][6], {"decimal": 200, "places": 0})
        self.assertEqual(self.goals["SDG-9"][6], {"decimal": 100, "places": 0})
        # "Budget reaching" counts the whole theme for each goal.
        self.assertEqual(self.goals["SDG-4"][5], 300)
        self.assertEqual(self.goals["SDG-9"][5], 300)

    def test_headline_and_unlinked_budget(self):
        values = [figure["value"] for figure in self.result["headline"]]
        self.assertEqual(values[:3], ["400", "300", 2])
        codes = [(f["code"], f["ids"]) for f in self.result["findings"]]
        self.assertIn(("budget-without-sdg-path", ["TH-B"]), codes)

    def test_every_link_row_names_the_basis_of_both_steps(self):
        links = self.result["tables"][1]["rows"]
        self.assertEqual(len(links), 3)
        for row in links:
            self.assertTrue(row[3].startswith("derived by rule fixture-rule"))
            self.assertTrue(row[6].startswith("declared: fixture.txt"))

    def test_views_draw_derived_steps_as_derived(self):
        flow = self.result["views"][0]["network"]
        theme_links = [edge for edge in flow["edges"] if edge["relation"] == "continues"]
        self.assertEqual(theme_links, [{"source": "TH-A", "relation": "continues", "target": "O1"}])  # provenance from the graph
        goal_lines = {edge["target"]: edge for edge in flow["edges"] if edge["relation"] == "advances-sdg"}
        self.assertEqual(goal_lines["SDG-4"]["weight"], 2)  # two targets of the goal: a thicker line
        self.assertNotIn("label", goal_lines["SDG-4"])
        self.assertIn("2 targets of SDG-4", goal_lines["SDG-4"]["tooltip"])
        self.assertTrue(goal_lines["SDG-4"]["declared"])
        matrix = self.result["views"][1]["matrix"]
        self.assertEqual(len(matrix["cells"]), 2)
        self.assertEqual(len(matrix["cells"][0]), len(matrix["columns"]))


if __name__ == "__main__":
    unittest.main()
