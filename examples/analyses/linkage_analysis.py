"""Write an external analysis for linkage in a few lines, with Python's standard library only.

An external analysis is an executable program that linkage runs as

    PROGRAM describe     -> prints what it is (id, title, summary, options) as JSON
    PROGRAM run          -> reads one request (options and the whole graph) on standard input,
                            writes one result (headline, findings, tables, views) on standard output

(protocol version 1, docs/external-analyses.md; JSON Schema: docs/schema/analysis-protocol.schema.json).
This module does the JSON for you:

    from linkage_analysis import Analysis, option, text

    analysis = Analysis("unlinked", text("Unlinked elements", "无联系的要素"),
                        text("Plan elements with no SDG link.", "没有可持续发展目标联系的计划要素。"),
                        options=[option("plan", "Plan to look at.", default="baap")])

    @analysis.run
    def run(graph, options, result):
        for node in graph.plan_elements(options["plan"]):
            if not graph.outgoing(node.id, "advances-sdg"):
                result.finding("info", "no-sdg-link", text(f"{node.id} has no SDG link.",
                                                            f"{node.id} 没有可持续发展目标联系。"), ids=[node.id])

    if __name__ == "__main__":
        analysis.main()

Texts a reader sees are given in English and Chinese with text(en, zh); a plain string is the
same text in both languages. Anything the program prints on standard error is shown by linkage
under the analysis id. Raise OptionError for a wrong option value: linkage reports it as a usage
error (exit status 2).
"""

import json
import sys
import traceback

PROTOCOL_VERSION = 1

__all__ = ["Analysis", "Graph", "Node", "Edge", "Result", "OptionError", "option", "text", "node_id",
           "decimal", "make_request", "PROTOCOL_VERSION"]


def text(en, zh=None):
    """A text in both languages ({"en": ..., "zh": ...}); without zh, the same text in both."""
    return {"en": en, "zh": en if zh is None else zh}


def node_id(identifier):
    """A table cell holding a node id: linkage checks it exists and reports keep it as an id."""
    return {"id": identifier}


def decimal(value, places):
    """A table cell holding a number shown with a fixed number of decimal places."""
    return {"decimal": value, "places": places}


class OptionError(Exception):
    """A wrong option value. linkage reports the message as a usage error (exit status 2)."""

    def __init__(self, option_name, message):
        super().__init__(f"{option_name}: {message}")


def option(name, summary, type="text", default=None, choices=None, minimum=None, maximum=None):
    """One option, given on the command line as --set name=value.

    type: "text", "integer" (with minimum and maximum), "node-id", "list" (comma-separated; the
    request carries it as a list) or "choice" (one of choices)."""
    described = {"name": name, "summary": summary, "type": type}
    if default is not None:
        described["default"] = default
    if choices is not None:
        described["choices"] = list(choices)
    if minimum is not None:
        described["minimum"] = minimum
    if maximum is not None:
        described["maximum"] = maximum
    return described


class Node:
    """A node of the graph: id, kind, role, label {"en", "zh"}, attributes, citation, dataset."""

    __slots__ = ("id", "kind", "role", "label", "description", "aliases", "attributes", "citation", "dataset")

    def __init__(self, record):
        self.id = record["id"]
        self.kind = record["kind"]
        self.role = record.get("role", "other")
        self.label = record["label"]
        self.description = record.get("description")
        self.aliases = record.get("aliases", [])
        self.attributes = record.get("attributes", {})
        self.citation = record.get("citation", {})
        self.dataset = record.get("dataset", "")

    @property
    def en(self):
        return self.label["en"]

    @property
    def zh(self):
        return self.label["zh"]

    def __repr__(self):
        return f"Node({self.id!r}, {self.kind!r})"


class Edge:
    """A link: source, relation, target and its provenance (declared with a citation, or derived
    by a rule with the paths it was composed from)."""

    __slots__ = ("source", "relation", "target", "provenance", "citation", "derivation", "dataset")

    def __init__(self, record):
        self.source = record["source"]
        self.relation = record["relation"]
        self.target = record["target"]
        self.provenance = record["provenance"]
        self.citation = record.get("citation")
        self.derivation = record.get("derivation")
        self.dataset = record.get("dataset", "")

    @property
    def declared(self):
        return self.provenance == "declared"

    def basis(self):
        """Where the link comes from, in one line: `declared: DOCUMENT §SECTION` or
        `derived by rule RULE: JUSTIFICATION`."""
        if self.declared and self.citation:
            # The document's name, as the built-in reports cite it; the file name only as a fallback.
            name = self.citation.get("name")
            if isinstance(name, dict):
                name = name.get("en")
            where = name or self.citation.get("url") or self.citation.get("file") or self.citation.get("document", "")
            section = self.citation.get("section", "")
            return f"declared: {where} {section if section.startswith('§') else '§' + section}"
        if self.derivation:
            return f"derived by rule {self.derivation['rule']}: {self.derivation['justification']}"
        return self.provenance

    def __repr__(self):
        return f"Edge({self.source!r} -[{self.relation}]-> {self.target!r}, {self.provenance})"


class Graph:
    """The graph of the request, indexed: nodes by id and kind, links by source and target."""

    def __init__(self, document):
        self.nodes = {record["id"]: Node(record) for record in document.get("nodes", [])}
        self.edges = [Edge(record) for record in document.get("edges", [])]
        vocabulary = document.get("vocabulary", {})
        self.kinds = {kind["id"]: kind for kind in vocabulary.get("kinds", [])}
        self.relations = {relation["id"]: relation for relation in vocabulary.get("relations", [])}
        self.plans = {plan["id"]: plan for plan in vocabulary.get("plans", [])}
        self.rules = {rule["id"]: rule for rule in vocabulary.get("rules", [])}
        self.datasets = document.get("datasets", [])
        self._out, self._in = {}, {}
        for edge in self.edges:
            self._out.setdefault(edge.source, []).append(edge)
            self._in.setdefault(edge.target, []).append(edge)

    def node(self, identifier):
        return self.nodes.get(identifier)

    def __contains__(self, identifier):
        return identifier in self.nodes

    def of_kind(self, *kinds):
        """Nodes of these kinds, in the graph's order (natural id order)."""
        return [node for node in self.nodes.values() if node.kind in kinds]

    def outgoing(self, identifier, relation=None):
        return [edge for edge in self._out.get(identifier, []) if relation is None or edge.relation == relation]

    def incoming(self, identifier, relation=None):
        return [edge for edge in self._in.get(identifier, []) if relation is None or edge.relation == relation]

    def parent(self, identifier):
        """The node `identifier` is directly part of, if any."""
        links = self.outgoing(identifier, "part-of")
        return self.nodes.get(links[0].target) if links else None

    def ancestor_of_kind(self, identifier, kind):
        """The nearest node of `kind` up the part-of chain (the node itself included)."""
        seen = set()
        node = self.nodes.get(identifier)
        while node is not None and node.id not in seen:
            if node.kind == kind:
                return node
            seen.add(node.id)
            node = self.parent(node.id)
        return None

    def plan_elements(self, plan_id):
        """The elements of a plan the datasets declare (BAAP outputs, KAP priorities, OP-23 themes)."""
        plan = self.plans.get(plan_id)
        if plan is None:
            raise OptionError("plan", f"no plan '{plan_id}'; plans: {', '.join(self.plans)}")
        return self.of_kind(*plan["elements"])


class Result:
    """What an analysis produces; linkage writes report.md, one CSV per table, result.json and
    the diagrams of the views, exactly as for a built-in analysis."""

    def __init__(self):
        self.headline, self.findings, self.tables, self.views, self.method_notes = [], [], [], [], []

    def figure(self, label, value, note=None):
        """A headline figure: a label and a value (a number or a short text)."""
        entry = {"label": label, "value": value}
        if note is not None:
            entry["note"] = note
        self.headline.append(entry)

    def finding(self, severity, code, message, ids=()):
        """severity: "error", "warning" or "info"; code: a short stable name (no-sdg-link)."""
        self.findings.append({"severity": severity, "code": code, "message": message, "ids": list(ids)})

    def table(self, table_id, title, columns, rows, caption=None):
        """columns: ids ("budget_chf") or {"id", "title"}; rows: lists of cells (str, int, float,
        None, node_id(...), decimal(...)). Written as <table_id>.csv."""
        table = {"id": table_id, "title": title, "columns": list(columns), "rows": [list(row) for row in rows]}
        if caption is not None:
            table["caption"] = caption
        self.tables.append(table)

    def network(self, view_id, title, nodes, edges=(), groups=(), ranks=(), subtitle=None, layout="flow"):
        """A diagram of nodes and links. A node may be just its id (drawn as every built-in draws
        it) or {"id", "label", ...}; a link {"source", "relation", "target"} that the graph has
        keeps its provenance (dashed when derived); any other link is drawn derived (dashed),
        so say in its "tooltip" how it was derived. Written as <view_id>.en.svg and .zh.svg."""
        view = {"id": view_id, "title": title,
                "network": {"nodes": list(nodes), "edges": list(edges), "groups": list(groups),
                            "ranks": [list(rank) for rank in ranks], "layout": layout}}
        if subtitle is not None:
            view["subtitle"] = subtitle
        self.views.append(view)

    def matrix(self, view_id, title, row_header, column_header, rows, columns, cells, legend=(), footnote=None, subtitle=None):
        """A grid (a heat map): rows and columns are labels or {"label", "colour", "url"}; cells
        are texts or {"text", "colour", "tooltip"}, cells[row][column]."""
        matrix = {"row_header": row_header, "column_header": column_header, "rows": list(rows), "columns": list(columns),
                  "cells": [list(row) for row in cells], "legend": list(legend)}
        if footnote is not None:
            matrix["footnote"] = footnote
        view = {"id": view_id, "title": title, "matrix": matrix}
        if subtitle is not None:
            view["subtitle"] = subtitle
        self.views.append(view)

    def note(self, note):
        """A method note: how the figures were computed, what to be careful about."""
        self.method_notes.append(note)

    def to_json(self):
        return {"headline": self.headline, "findings": self.findings, "tables": self.tables, "views": self.views,
                "method_notes": self.method_notes}


class Analysis:
    """An external analysis: its descriptor and the function that runs it."""

    def __init__(self, analysis_id, title, summary, options=(), examples=()):
        self.descriptor = {"protocol_version": PROTOCOL_VERSION, "id": analysis_id, "title": title, "summary": summary,
                           "options": list(options), "examples": list(examples)}
        self._run = None

    def run(self, function):
        """Decorator: function(graph, options, result) fills the result."""
        self._run = function
        return function

    def execute(self, request):
        """Runs the analysis on a request (a dict) and returns the result as a dict (for tests)."""
        if request.get("protocol_version") != PROTOCOL_VERSION:
            raise ValueError(f"request of protocol version {request.get('protocol_version')}; this module speaks {PROTOCOL_VERSION}")
        options = {described["name"]: described["default"] for described in self.descriptor["options"] if "default" in described}
        options.update(request.get("options", {}))
        result = Result()
        self._run(Graph(request["graph"]), options, result)
        return result.to_json()

    def main(self, argv=None):
        argv = sys.argv[1:] if argv is None else argv
        command = argv[0] if argv else ""
        if command == "describe":
            sys.stdout.write(json.dumps(self.descriptor, ensure_ascii=False) + "\n")
            return
        if command != "run":
            sys.stderr.write(f"usage: {sys.argv[0]} describe | run  (an external analysis for linkage: "
                             f"`linkage run {self.descriptor['id']}`)\n")
            sys.exit(64)
        try:
            request = json.load(sys.stdin)
            result = self.execute(request)
        except OptionError as error:
            sys.stderr.write(f"{error}\n")
            sys.exit(2)
        except Exception:
            traceback.print_exc()
            sys.exit(1)
        # One string from json.dumps, written once: json.dump streams through the pure-Python
        # encoder in tens of thousands of small writes; dumps uses the C encoder and writes the
        # same text (budget-per-sdg's run: 89 -> 79 ms of CPU, median of 25).
        sys.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")


def make_request(nodes=(), edges=(), plans=(), kinds=(), options=None):
    """A small request for tests, built like a fixture graph:

        make_request(nodes=[("BAAP-OUT-1.1", "baap-output", "Output 1.1"), ("SDG-9", "sdg-goal", "Goal 9")],
                     edges=[("BAAP-OUT-1.1", "advances-sdg", "SDG-9")],
                     plans=[{"id": "baap", "label": text("BAAP"), "elements": ["baap-output"]}])

    A node is (id, kind, label) or (id, kind, label, attributes); a link is (source, relation,
    target) or (source, relation, target, "derived")."""
    node_records = []
    for entry in nodes:
        identifier, kind, label = entry[0], entry[1], entry[2]
        record = {"id": identifier, "kind": kind, "role": "other", "label": text(label), "dataset": "fixture",
                  "citation": {"document": "doc", "file": "fixture.txt", "section": identifier}}
        if len(entry) > 3:
            record["attributes"] = entry[3]
        node_records.append(record)
    edge_records = []
    for entry in edges:
        source, relation, target = entry[0], entry[1], entry[2]
        record = {"source": source, "relation": relation, "target": target, "dataset": "fixture"}
        if len(entry) > 3 and entry[3] == "derived":
            record["provenance"] = "derived"
            record["derivation"] = {"rule": "fixture-rule", "justification": "a fixture rule", "paths": []}
        else:
            record["provenance"] = "declared"
            record["citation"] = {"document": "doc", "file": "fixture.txt", "section": source}
        edge_records.append(record)
    return {"protocol_version": PROTOCOL_VERSION, "analysis": "fixture", "options": options or {},
            "graph": {"nodes": node_records, "edges": edge_records,
                      "vocabulary": {"kinds": list(kinds), "relations": [], "plans": list(plans), "rules": []},
                      "datasets": []}}
