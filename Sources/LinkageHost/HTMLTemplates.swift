import Foundation
import Mustache

/// The HTML pages' templates (Mustache). Every `{{value}}` is escaped by the template engine
/// with `HTMLText.escape` (the content type registered below), so text from analyses and data
/// is always text. Two values are not escaped by the engine: `{{{svg}}}`, a diagram the renderer
/// wrote (its texts escaped by Graphviz, its links checked by DOTText.link), and `{{{rows}}}`, a
/// report table's rows, built by `HTMLReport.tableRows` with the same `HTMLText.escape` for
/// every cell (tens of thousands of cells through the engine took a second per `linkage all`).
/// The style sheet and the script are literal parts of the templates, not values.
///
/// The templates are Swift strings rather than resource files so that the static release build
/// and the Debian package carry them inside the program.
/// Mustache templates whose every `{{value}}` is escaped by `HTMLText.escape`: the one HTML
/// escaping of the workbench. The reports, the index page and `linkage serve`'s pages all build
/// their libraries here, so a label with a control or bidi character reads the same `\u{202E}`
/// in a report and in the explorer, and no second escaping routine can drift from this one.
public enum EscapedHTMLTemplates {
    /// The content type the templates name in their pragma: the host's own HTML escaping.
    static let contentTypeName = "LINKAGE_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(contentTypeName)}}"

    struct EscapingContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLText.escape(text) }
    }

    /// Registers the content type once (swift-mustache keeps content types in a global table,
    /// read when a template is parsed).
    private static let registered: Void = MustacheContentTypes.register(EscapingContentType(), named: contentTypeName)

    /// A library of `templates` (name: source), each parsed with the escaping pragma in front;
    /// partials refer to each other by name as usual.
    public static func library(_ templates: [String: String]) throws -> MustacheLibrary {
        _ = registered
        var library = MustacheLibrary()
        for (name, source) in templates.sorted(by: { $0.key < $1.key }) {
            try library.register(pragma + source, named: name)
        }
        return library
    }
}

enum HTMLTemplates {
    static let library: MustacheLibrary = {
        do {
            return try EscapedHTMLTemplates.library(["report": report, "index": index, "text": text])
        } catch {
            preconditionFailure("an HTML template does not parse: \(error)")
        }
    }()

    static func render(_ context: [String: Any], template: String) -> String {
        guard let page = library.render(context, withTemplate: template) else {
            preconditionFailure("no HTML template \(template)")
        }
        return page
    }


    /// A text from data: plain runs and, for well-formed http(s) URLs only, links.
    static let text = #"{{#segments}}{{#isLink}}<a href="{{url}}">{{text}}</a>{{/isLink}}{{^isLink}}{{text}}{{/isLink}}{{/segments}}"#

    /// The table script: sorting by a click on a column heading and a filter box per table.
    /// Without script the tables are plain tables (every row is in the HTML). Its SHA-256 is in
    /// the page's Content-Security-Policy, so no other script can run in a report.
    static let tableScript = """
        (function () {
          "use strict";
          var each = function (list, f) { Array.prototype.forEach.call(list, f); };
          var value = function (row, i, numeric) {
            var text = row.cells[i] ? row.cells[i].textContent.trim() : "";
            if (!numeric) { return text; }
            var n = parseFloat(text.replace(/,/g, ""));
            return isNaN(n) ? -Infinity : n;
          };
          each(document.querySelectorAll("table.data"), function (table) {
            var body = table.tBodies[0], headings = table.tHead.rows[0].cells;
            each(headings, function (th, i) {
              var button = document.createElement("button");
              button.type = "button";
              while (th.firstChild) { button.appendChild(th.firstChild); }
              th.appendChild(button);
              button.addEventListener("click", function () {
                var ascending = th.getAttribute("aria-sort") !== "ascending", numeric = th.classList.contains("n");
                each(headings, function (h) { h.removeAttribute("aria-sort"); });
                th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = value(a, i, numeric), y = value(b, i, numeric);
                  var c = numeric ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, undefined, { numeric: true });
                  return ascending ? c : -c;
                });
                each(rows, function (row) { body.appendChild(row); });
              });
            });
            var filter = document.createElement("input");
            filter.type = "search";
            filter.className = "filter";
            filter.placeholder = table.getAttribute("data-filter");
            filter.setAttribute("aria-label", table.getAttribute("data-filter"));
            filter.addEventListener("input", function () {
              var words = filter.value.toLowerCase();
              each(body.rows, function (row) { row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) < 0; });
            });
            table.parentNode.parentNode.insertBefore(filter, table.parentNode);
          });
        })();
        """

    static let style = """
        :root { --ink: #1f1f1f; --muted: #5f6368; --rule: #d0d4d9; --band: #f4f6f8; --error: #a4262c; --warning: #8a5300; --info: #1f5f99; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 75em; padding: 1.5em 2em 4em; line-height: 1.45; }
        h1 { font-size: 1.7em; margin: 0.2em 0; } h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 2px solid var(--rule); padding-bottom: 0.2em; }
        h3 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
        a { color: #1a5fb4; } code { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 0.9em; background: var(--band); padding: 0 0.25em; border-radius: 3px; }
        .summary { font-size: 1.1em; margin: 0.3em 0; } .produced, .hint, .files, .count { color: var(--muted); font-size: 0.9em; }
        nav.toc ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; } .language { float: right; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(13em, 1fr)); gap: 0.8em; }
        .figure { border: 1px solid var(--rule); border-radius: 6px; padding: 0.6em 0.8em; background: #fff; break-inside: avoid; }
        .figure .value { font-size: 1.6em; font-weight: 700; } .figure.long .value { font-size: 1em; overflow-wrap: anywhere; } .figure .label { font-weight: 600; } .figure .note { color: var(--muted); font-size: 0.85em; }
        .severity { border-left: 4px solid var(--rule); padding-left: 0.8em; margin: 1em 0; }
        .severity.error { border-color: var(--error); } .severity.warning { border-color: var(--warning); } .severity.info { border-color: var(--info); }
        .severity.error h3 { color: var(--error); } .severity.warning h3 { color: var(--warning); } .severity.info h3 { color: var(--info); }
        .finding { margin: 0.35em 0; } .finding .ids { color: var(--muted); font-size: 0.9em; }
        .table-wrap { overflow-x: auto; max-height: 36em; overflow-y: auto; border: 1px solid var(--rule); }
        table { border-collapse: collapse; width: 100%; font-size: 0.88em; }
        th, td { border-bottom: 1px solid var(--rule); padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        thead th { position: sticky; top: 0; background: var(--band); z-index: 1; }
        th button { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; color: inherit; }
        th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        input.filter { margin: 0.3em 0; padding: 0.25em 0.5em; width: 20em; max-width: 100%; font: inherit; }
        figure { margin: 1em 0 2em; } figure.diagram { break-inside: avoid; page-break-inside: avoid; }
        figure.diagram svg { max-width: 100%; height: auto; display: block; margin: 0.5em auto; }
        .problems { color: var(--error); }
        ul.notes li { margin: 0.3em 0; }
        @media print {
          @page { size: A4; margin: 15mm 12mm; }
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav.toc, input.filter, .language, .hint { display: none; }
          .table-wrap { max-height: none; overflow: visible; border: 0; }
          thead th { position: static; } thead { display: table-header-group; }
          tr, .figure, .finding, figure.diagram { break-inside: avoid; page-break-inside: avoid; }
          figure.diagram .page { break-inside: avoid; page-break-inside: avoid; }
          figure.diagram svg { max-height: 250mm; width: auto; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        """

    static let report = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="{{csp}}">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="linkage">
        <title>{{title}}</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <header>
        {{#otherLanguage}}<p class="language"><a href="{{href}}" hreflang="{{lang}}">{{label}}</a></p>{{/otherLanguage}}
        <h1>{{title}}</h1>
        <p class="summary">{{summary}}</p>
        <p class="produced">{{words.producedBy}} <code>{{command}}</code>{{words.fullStop}}{{words.computed}}{{#workbook}} {{words.data}}<a href="{{href}}">{{name}}</a>{{/workbook}}</p>
        <nav class="toc"><ul>{{#toc}}<li><a href="#{{id}}">{{title}}</a></li>{{/toc}}</ul></nav>
        </header>
        <main>
        {{#hasHeadline}}
        <section id="headline">
        <h2>{{words.headline}}</h2>
        <div class="figures">
        {{#headline}}<div class="figure{{#long}} long{{/long}}"><div class="value">{{value}}</div><div class="label">{{label}}</div>{{#note}}<div class="note">{{.}}</div>{{/note}}</div>
        {{/headline}}
        </div>
        </section>
        {{/hasHeadline}}
        {{#hasProblems}}
        <section id="problems">
        <h2>{{words.renderingProblems}}</h2>
        <ul class="problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>
        </section>
        {{/hasProblems}}
        <section id="findings">
        <h2>{{words.findings}}</h2>
        {{^severities}}<p>{{words.noFindings}}</p>{{/severities}}
        {{#severities}}
        <div class="severity {{severity}}">
        <h3>{{title}} ({{count}})</h3>
        {{#findings}}<p class="finding"><code>{{code}}</code> {{> text}}{{#hasIDs}} <span class="ids">{{words.ids}}: {{#ids}}<code>{{.}}</code> {{/ids}}</span>{{/hasIDs}}</p>
        {{/findings}}
        </div>
        {{/severities}}
        </section>
        {{#hasTables}}
        <section id="tables">
        <h2>{{words.tables}}</h2>
        <p class="hint">{{words.sortHint}}</p>
        {{#tables}}
        <figure class="table" id="table-{{id}}">
        <h3>{{title}}</h3>
        {{#caption}}<p>{{.}}</p>{{/caption}}
        <p class="files"><a href="{{csv}}">{{csv}}</a> · {{rowCount}}{{#truncated}} · {{note}} <a href="{{csv}}">{{csv}}</a>{{/truncated}}</p>
        {{#hasRows}}
        <div class="table-wrap"><table class="data" data-filter="{{words.filter}}">
        <thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="n"{{/numeric}}>{{title}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{{rows}}}</tbody>
        </table></div>
        {{/hasRows}}
        {{^hasRows}}<p>{{words.noRows}}</p>{{/hasRows}}
        </figure>
        {{/tables}}
        </section>
        {{/hasTables}}
        {{#hasDiagrams}}
        <section id="diagrams">
        <h2>{{words.diagrams}}</h2>
        {{#diagrams}}
        <figure class="diagram" id="diagram-{{id}}">
        <h3>{{title}}</h3>
        {{#subtitle}}<p>{{.}}</p>{{/subtitle}}
        {{#pages}}<div class="page">{{{svg}}}</div>
        {{/pages}}
        <p class="files">{{words.files}}: {{#files}}<a href="{{.}}">{{.}}</a> {{/files}}</p>
        </figure>
        {{/diagrams}}
        </section>
        {{/hasDiagrams}}
        {{#hasNotes}}
        <section id="method">
        <h2>{{words.method}}</h2>
        <ul class="notes">{{#notes}}<li>{{> text}}</li>
        {{/notes}}</ul>
        </section>
        {{/hasNotes}}
        </main>
        <script>\(tableScript)</script>
        </body>
        </html>

        """

    static let indexStyle = """
        body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; color: #1f1f1f; margin: 0 auto; max-width: 80em; padding: 1.5em 2em 4em; line-height: 1.45; }
        h1 { margin: 0.2em 0; } .lead { color: #5f6368; }
        section.analysis { border: 1px solid #d0d4d9; border-radius: 8px; padding: 0.8em 1.2em 1.2em; margin: 1.5em 0; }
        section.analysis h2 { margin: 0.2em 0 0.3em; font-size: 1.35em; } .summary { margin: 0 0 0.6em; }
        .links a { margin-right: 0.9em; white-space: nowrap; } .links { margin: 0.4em 0 0.8em; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(12em, 1fr)); gap: 0.6em; margin: 0.6em 0; }
        .figure { border: 1px solid #e3e6ea; border-radius: 6px; padding: 0.4em 0.7em; background: #fafbfc; }
        .figure .value { font-size: 1.35em; font-weight: 700; } .figure.long .value { font-size: 0.95em; overflow-wrap: anywhere; } .figure .label { font-size: 0.85em; }
        .thumbs { display: grid; grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: 0.8em; }
        .thumb { margin: 0; border: 1px solid #e3e6ea; border-radius: 6px; padding: 0.4em; text-align: center; background: #fff; }
        .thumb img { width: 100%; height: 9em; object-fit: contain; display: block; }
        .thumb figcaption { font-size: 0.8em; margin-top: 0.3em; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
        details { margin-top: 0.6em; font-size: 0.9em; } .failed { color: #a4262c; font-weight: bold; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; } td.n { text-align: right; }
        @media print { section.analysis { break-inside: avoid; } }
        """

    static let index = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="linkage">
        <title>{{words.title}}</title>
        <style>
        \(indexStyle)
        </style>
        </head>
        <body>
        <h1>{{words.title}}</h1>
        <p class="lead">{{words.produced}} ({{nodes}} {{words.nodes}}, {{edges}} {{words.links}}).</p>
        {{#entries}}
        <section class="analysis" id="{{id}}">
        <h2>{{title}} <code>{{id}}</code></h2>
        {{#problem}}<p class="failed">{{.}}</p>{{/problem}}
        {{#hasFolder}}
        <p class="links">{{#links}}<a href="{{href}}">{{label}}</a> {{/links}}</p>
        {{#hasHeadline}}<div class="figures">{{#headline}}<div class="figure{{#long}} long{{/long}}"><div class="value">{{value}}</div><div class="label">{{label}}</div></div>{{/headline}}</div>{{/hasHeadline}}
        <div class="thumbs">
        {{#thumbnails}}<figure class="thumb" title="{{title}}"><a href="{{href}}"><img src="{{src}}" alt="{{title}}"></a><figcaption>{{title}}</figcaption></figure>
        {{/thumbnails}}
        </div>
        {{#hasTables}}<p class="links">{{words.tables}}: {{#tables}}<a href="{{href}}">{{label}}</a> {{/tables}}</p>{{/hasTables}}
        {{#hasDiagrams}}<details><summary>{{words.diagramFiles}}</summary><ul>{{#diagrams}}<li>{{title}}: {{#files}}<a href="{{href}}">{{label}}</a> {{/files}}</li>{{/diagrams}}</ul></details>{{/hasDiagrams}}
        {{/hasFolder}}
        </section>
        {{/entries}}
        <h2>{{words.datasets}}</h2>
        <table>
        <tr><th>{{words.dataset}}</th><th>{{words.datasetTitle}}</th><th>{{words.nodeCount}}</th><th>{{words.linkCount}}</th></tr>
        {{#datasets}}<tr><td><code>{{name}}</code></td><td>{{title}}</td><td class="n">{{nodes}}</td><td class="n">{{edges}}</td></tr>
        {{/datasets}}
        </table>
        </body>
        </html>

        """
}
