import LinkageHost
import Mustache

/// The pages' templates and style sheet, compiled into the program: the server reads no file to
/// answer a request except the datasets it was given, so no path in a request can reach a file.
///
/// Every `{{value}}` is escaped by the reports' own routine (`EscapedHTMLTemplates`, which runs
/// `HTMLText.escape`): `& < > " '` become entities and control or bidi characters show as
/// visible `\u{…}` text, exactly as in the HTML reports. So data lands in text and in quoted
/// attributes only as inert text. The two triple mustaches are not data: `{{{body}}}` is the
/// output of these templates, `{{{svg}}}` is Graphviz's SVG, whose texts and links the renderer
/// escapes and checks (only http/https URLs and the server's own /node/ paths become links;
/// tests run Tests/Tools/check_active_content.py over served pages).
enum Templates {
    static let library: MustacheLibrary = {
        do { return try EscapedHTMLTemplates.library(sources) } catch { fatalError("a serve template does not parse: \(error)") }
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        guard let html = library.render(context, withTemplate: name) else { fatalError("no template \(name)") }
        return html
    }

    static let sources: [String: String] = [
        "layout": """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · linkage</title>
        <link rel="stylesheet" href="/assets/style.css">
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        </head>
        <body>
        <header>
        <a class="brand" href="/">linkage</a>
        <form class="search" method="get" action="/search"><input type="search" name="q" value="{{query}}" placeholder="id, label, 中文标签, attribute" aria-label="Search"><button type="submit">Search</button></form>
        <nav><a href="/analyses">Analyses</a></nav>
        </header>
        {{#hasDataErrors}}
        <section class="data-errors" role="alert">
        <h2>The datasets have errors: showing the last good data</h2>
        <pre>{{#dataErrors}}{{.}}
        {{/dataErrors}}</pre>
        </section>
        {{/hasDataErrors}}
        <main>
        {{{body}}}
        </main>
        <footer>Generation {{generation}} of the data · {{nodeCount}} nodes, {{edgeCount}} links</footer>
        </body>
        </html>
        """,

        "start": """
        <h1>Linkage graph</h1>
        <p>Search for an id, a label in English or Chinese, or an attribute above; or start from a kind or a dataset.</p>
        <h2>Kinds</h2>
        <ul class="columns">{{#kinds}}<li><a href="/search?kind={{kind}}">{{labelEn}} · {{labelZh}}</a> <span class="count">{{count}}</span></li>{{/kinds}}</ul>
        <h2>Datasets</h2>
        <table><thead><tr><th>Dataset</th><th>Title</th><th>标题</th><th>Nodes</th><th>Links</th></tr></thead><tbody>
        {{#datasets}}<tr><td><code>{{name}}</code></td><td>{{titleEn}}</td><td>{{titleZh}}</td><td>{{nodes}}</td><td>{{edges}}</td></tr>{{/datasets}}
        </tbody></table>
        """,

        "search": """
        <h1>{{heading}}</h1>
        {{#hint}}<p class="hint">{{hint}}</p>{{/hint}}
        {{#groups}}
        <section class="kind-group"><h2>{{kindEn}} · {{kindZh}} <span class="count">{{count}}</span></h2>
        <ul class="hits">{{#hits}}<li><a href="{{href}}"><code>{{id}}</code></a> {{labelEn}} · <span lang="zh">{{labelZh}}</span>{{#match}} <span class="match">({{match}}{{#text}}: {{text}}{{/text}})</span>{{/match}}</li>{{/hits}}</ul>
        </section>
        {{/groups}}
        {{^groups}}<p>Nothing found.</p>{{/groups}}
        """,

        "node": """
        <p class="kind"><a href="/search?kind={{kind}}">{{kindEn}} · {{kindZh}}</a> · dataset <code>{{dataset}}</code></p>
        <h1><code>{{id}}</code> {{labelEn}}</h1>
        <p class="zh" lang="zh">{{labelZh}}</p>
        {{#description}}<p>{{en}}</p><p lang="zh">{{zh}}</p>{{/description}}
        {{#hasAliases}}<p>Aliases: {{#aliases}}<code>{{.}}</code> {{/aliases}}</p>{{/hasAliases}}
        {{#hasAttributes}}<table class="attributes"><tbody>{{#attributes}}<tr><th>{{name}}</th><td>{{#link}}<a href="{{link}}" rel="noopener noreferrer">{{value}}</a>{{/link}}{{^link}}{{value}}{{/link}}</td></tr>{{/attributes}}</tbody></table>{{/hasAttributes}}
        <h2>Source</h2>
        {{#citation}}{{> citation}}{{/citation}}
        <h2>Neighbourhood</h2>
        {{> diagram}}
        {{#directions}}
        <h2>{{heading}} <span class="count">{{count}}</span></h2>
        {{#relations}}
        <h3>{{relation}} <span class="relation-label">{{labelEn}} · {{labelZh}}</span> <span class="count">{{count}}</span></h3>
        <ul class="links">
        {{#links}}<li class="{{provenance}}"><span class="arrow">{{arrow}}</span> <a href="{{href}}"><code>{{other}}</code></a> {{otherLabelEn}} · <span lang="zh">{{otherLabelZh}}</span>
        {{#declared}}<div class="provenance"><span class="badge declared">declared</span> {{> citation}}</div>{{/declared}}
        {{#derived}}<div class="provenance"><span class="badge derived">derived</span> by rule <code>{{rule}}</code>: {{justification}}
        {{#paths}}<div class="path">via {{#steps}}<a href="{{fromHref}}"><code>{{from}}</code></a> <span class="step">{{arrowText}}</span> {{#lastStep}}<a href="{{toHref}}"><code>{{to}}</code></a>{{/lastStep}}{{#stepRule}} <span class="step-rule">(this step derived by {{stepRule}})</span>{{/stepRule}} {{/steps}}</div>{{/paths}}
        {{#basis}}<div>basis: {{> citation}}</div>{{/basis}}</div>{{/derived}}
        {{#asWritten}}<div class="written">written in the source as: {{asWritten}}</div>{{/asWritten}}
        {{#note}}<div class="note">note: {{note}}</div>{{/note}}
        </li>{{/links}}
        </ul>
        {{/relations}}
        {{/directions}}
        {{#hasNotes}}<h2>Data-quality notes</h2><ul>{{#notes}}<li>{{finding}}{{#reading}} (read as: {{reading}}){{/reading}} — {{#citation}}{{> citation}}{{/citation}}</li>{{/notes}}</ul>{{/hasNotes}}
        """,

        "citation": """
        <span class="citation">{{#documentLink}}<a href="{{documentLink}}" rel="noopener noreferrer">{{reference}}</a>{{/documentLink}}{{^documentLink}}{{reference}}{{/documentLink}}{{#documentTitle}} <span class="doc-title">({{documentTitle}})</span>{{/documentTitle}}{{#quote}} <q>{{quote}}</q>{{/quote}}</span>
        """,

        "diagram": """
        <form class="diagram-options" method="get" action="{{action}}">
        {{#fields}}<label>{{label}} {{#hasChoices}}<select name="{{name}}">{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/choices}}</select>{{/hasChoices}}{{^hasChoices}}<input type="text" name="{{name}}" value="{{value}}" size="{{size}}">{{/hasChoices}}</label>
        {{/fields}}<button type="submit">Draw</button>
        </form>
        {{#problem}}<p class="problem">{{problem}}</p>{{/problem}}
        {{#pages}}<figure class="diagram">{{#part}}<figcaption>{{part}}</figcaption>{{/part}}{{{svg}}}</figure>
        <p class="downloads">Download{{#part}} this page{{/part}}: {{#downloads}}<a href="{{href}}" download="{{file}}">{{format}}</a> {{/downloads}}</p>
        {{/pages}}
        """,

        "analyses": """
        <h1>Analyses</h1>
        <ul class="analyses">{{#analyses}}<li><a href="{{href}}">{{title}}</a> <code>{{id}}</code>{{#external}} <span class="external">external: <code>{{external}}</code>{{#unusable}} (not usable){{/unusable}}</span>{{/external}}<br>{{summary}}</li>{{/analyses}}</ul>
        """,

        "analysis": """
        <h1>{{title}} <code>{{id}}</code></h1>
        <p>{{summary}}</p>
        <form class="analysis-options" method="get" action="{{action}}">
        <table class="options"><tbody>
        {{#fields}}<tr><th><label for="opt-{{name}}">{{name}}</label></th><td>{{#hasChoices}}<select id="opt-{{name}}" name="{{name}}">{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/choices}}</select>{{/hasChoices}}{{^hasChoices}}<input id="opt-{{name}}" type="text" name="{{name}}" value="{{value}}" placeholder="{{placeholder}}" size="40">{{/hasChoices}}</td><td class="help">{{summary}} <span class="type">({{type}})</span></td></tr>
        {{/fields}}
        </tbody></table>
        <button type="submit" name="run" value="1">Run</button>
        </form>
        {{#problem}}<p class="problem">{{problem}}</p>{{/problem}}
        {{#result}}
        <h2>Headline</h2>
        <table class="headline"><tbody>{{#headline}}<tr><th>{{label}}{{#note}}<br><small>{{.}}</small>{{/note}}</th><td>{{value}}</td></tr>{{/headline}}</tbody></table>
        {{#hasFindings}}<h2>Findings</h2><ul class="findings">{{#findings}}<li class="{{severity}}"><span class="badge {{severity}}">{{severity}}</span> {{message}}{{#hasIds}} — {{#ids}}<a href="{{href}}"><code>{{id}}</code></a> {{/ids}}{{/hasIds}}</li>{{/findings}}</ul>{{/hasFindings}}
        {{#hasViews}}<h2>Diagrams <span class="count">{{viewCount}}</span></h2>
        {{#views}}{{#problem}}<p class="problem">{{title}}: {{problem}}</p>{{/problem}}{{#pages}}<figure class="view"><figcaption>{{title}}{{#part}} ({{part}}){{/part}} <span class="downloads">{{#downloads}}<a href="{{href}}" download="{{file}}">{{format}}</a> {{/downloads}}</span></figcaption>{{#svg}}{{{svg}}}{{/svg}}{{^svg}}<img src="{{image}}" alt="{{title}}" loading="lazy">{{/svg}}</figure>{{/pages}}{{/views}}{{/hasViews}}
        {{#tables}}<h2>{{title}} <span class="count">{{rowCount}} rows</span></h2>{{#caption}}<p>{{caption}}</p>{{/caption}}
        <div class="result"><table class="result"><thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead><tbody>{{#rows}}<tr>{{#cells}}<td>{{#href}}<a href="{{href}}"><code>{{text}}</code></a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>{{/rows}}</tbody></table></div>
        {{#truncated}}<p class="hint">First {{shown}} rows of {{rowCount}}.</p>{{/truncated}}{{/tables}}
        {{#hasMethodNotes}}<h2>Method</h2><ul>{{#methodNotes}}<li>{{.}}</li>{{/methodNotes}}</ul>{{/hasMethodNotes}}
        {{/result}}
        """,

        "error": """
        <h1>{{heading}}</h1>
        <p class="problem">{{message}}</p>
        {{#suggestion}}<p>Did you mean <a href="{{href}}"><code>{{id}}</code></a>?</p>{{/suggestion}}
        """,
    ]

    /// Three linked boxes, for the browser's tab.
    static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M8 8L24 16L8 24Z" fill="none" stroke="#0b4f8a" stroke-width="2"/><rect x="2" y="2" width="12" height="12" rx="3" fill="#0b4f8a"/><rect x="18" y="10" width="12" height="12" rx="3" fill="#2e7d32"/><rect x="2" y="18" width="12" height="12" rx="3" fill="#8e24aa"/></svg>
    """

    static let styleSheet = """
    :root { font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1f1f1f; }
    body { margin: 0; }
    header { display: flex; gap: 1em; align-items: center; padding: .6em 1em; background: #0b4f8a; color: white; }
    header a { color: white; }
    header .brand { font-weight: bold; font-size: 1.2em; text-decoration: none; }
    header form.search { flex: 1; display: flex; gap: .4em; }
    header input[type=search] { flex: 1; max-width: 40em; padding: .3em; }
    main { padding: 0 1em 2em; max-width: 90em; }
    footer { padding: 1em; color: #666; font-size: .85em; }
    .data-errors { background: #fde8e8; border-left: 6px solid #b00020; padding: .5em 1em; margin: 0; }
    .data-errors pre { white-space: pre-wrap; }
    .count { color: #666; font-size: .8em; font-weight: normal; }
    table.headline th small { color: #555; font-weight: normal; }
    .hint, .match, .relation-label, .doc-title, .help, .external { color: #555; }
    .problem { background: #fff4e5; border-left: 4px solid #e65100; padding: .5em; }
    ul.columns { columns: 3 18em; }
    ul.links li { margin: .5em 0; }
    .provenance, .path, .written, .note { margin-left: 2em; font-size: .92em; }
    .badge { border-radius: 3px; padding: 0 .3em; font-size: .8em; color: white; background: #555; }
    .badge.declared { background: #2e7d32; } .badge.derived { background: #8e24aa; }
    .badge.warning { background: #e65100; } .badge.error { background: #b00020; } .badge.info { background: #0b4f8a; }
    li.derived > a { font-style: italic; }
    q { font-style: italic; }
    table { border-collapse: collapse; margin: .5em 0; }
    th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: left; vertical-align: top; }
    /* A result table wider than the page scrolls sideways, each column as wide as its texts
       up to 24em, rather than squeezing long texts into columns one word wide (rows a screen
       tall). */
    div.result { overflow-x: auto; max-width: 100%; }
    table.result { width: max-content; }
    table.result td { max-width: 24em; overflow-wrap: anywhere; }
    figure.diagram, figure.view { margin: 1em 0; overflow: auto; border: 1px solid #eee; }
    figure svg, figure img { max-width: 100%; height: auto; }
    form.diagram-options { display: flex; flex-wrap: wrap; gap: .8em; align-items: center; }
    .zh { font-size: 1.2em; }
    """
}
