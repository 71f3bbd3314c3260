"""Tests of the helper module: describe and run speak protocol version 1 (standard library only).

Run: python3 -m unittest discover -s examples/analyses/tests -t examples/analyses"""

import io
import json
import sys
import unittest
from contextlib import redirect_stdout

from linkage_analysis import Analysis, OptionError, make_request, node_id, option, text

demo = Analysis("demo", text("Demo", "示例"), "Counts the nodes of a kind.",
                options=[option("kind", "The kind to count.", default="sdg-goal")])


@demo.run
def count(graph, options, result):
    nodes = graph.of_kind(options["kind"])
    if options["kind"] not in graph.kinds:
        raise OptionError("kind", f"unknown kind '{options['kind']}'")
    result.figure(text("Nodes", "节点"), len(nodes))
    result.table("nodes", "Nodes", ["id"], [[node_id(n.id)] for n in nodes])
    result.network("nodes", "Nodes", [n.id for n in nodes])


REQUEST = make_request(nodes=[("SDG-9", "sdg-goal", "Goal 9"), ("SDG-9.c", "sdg-target", "Target 9.c")],
                       edges=[("SDG-9.c", "part-of", "SDG-9")], kinds=[{"id": "sdg-goal"}, {"id": "sdg-target"}])


class HelperTests(unittest.TestCase):
    def test_describe_prints_the_descriptor(self):
        out = io.StringIO()
        with redirect_stdout(out):
            demo.main(["describe"])
        descriptor = json.loads(out.getvalue())
        self.assertEqual(descriptor["protocol_version"], 1)
        self.assertEqual(descriptor["id"], "demo")
        self.assertEqual(descriptor["title"], {"en": "Demo", "zh": "示例"})
        self.assertEqual(descriptor["options"][0]["default"], "sdg-goal")

    def test_execute_fills_defaults_and_builds_the_result(self):
        result = demo.execute(REQUEST)
        self.assertEqual(result["headline"][0]["value"], 1)
        self.assertEqual(result["tables"][0]["rows"], [[{"id": "SDG-9"}]])
        self.assertEqual(result["views"][0]["network"]["nodes"], ["SDG-9"])

    def test_run_reads_stdin_and_writes_json(self):
        out = io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO(json.dumps(dict(REQUEST, options={"kind": "sdg-target"})))
        try:
            with redirect_stdout(out):
                demo.main(["run"])
        finally:
            sys.stdin = stdin
        self.assertEqual(json.loads(out.getvalue())["headline"][0]["value"], 1)

    def test_option_errors_exit_with_status_2(self):
        stdin, stderr = sys.stdin, sys.stderr
        sys.stdin, sys.stderr = io.StringIO(json.dumps(dict(REQUEST, options={"kind": "nope"}))), io.StringIO()
        try:
            with self.assertRaises(SystemExit) as exit_:
                demo.main(["run"])
            message = sys.stderr.getvalue()
        finally:
            sys.stdin, sys.stderr = stdin, stderr
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn("kind: unknown kind 'nope'", message)

    def test_graph_indexes(self):
        from linkage_analysis import Graph
        graph = Graph(REQUEST["graph"])
        self.assertEqual(graph.parent("SDG-9.c").id, "SDG-9")
        self.assertEqual(graph.ancestor_of_kind("SDG-9.c", "sdg-goal").id, "SDG-9")
        self.assertTrue(graph.outgoing("SDG-9.c", "part-of")[0].declared)
        self.assertEqual(graph.outgoing("SDG-9.c")[0].basis(), "declared: fixture.txt §SDG-9.c")


if __name__ == "__main__":
    unittest.main()
