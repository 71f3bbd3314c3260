import LinkageKit

/// The report writer's own sentences (section titles, the lines around tables and findings),
/// English (`en.swift`) and Chinese (`zh.swift`). Analyses bring their own catalogues.
let strings = StringCatalogue(en: englishStrings, zh: chineseStrings)
