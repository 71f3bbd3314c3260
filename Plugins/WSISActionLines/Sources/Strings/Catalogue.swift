import LinkageKit

/// The analysis's fixed sentences, English (`en.swift`) and Chinese (`zh.swift`).
let strings = StringCatalogue(en: englishStrings, zh: chineseStrings)

/// A table column headed by a catalogue text.
func column(_ id: String, _ key: String) -> TableColumn { TableColumn(id, strings(key)) }
