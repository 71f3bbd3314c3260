/// A value's fields stored in one shared heap box, with value semantics: copying the value is
/// one reference count, and a change copies the box first when another value shares it (copy
/// on write), so no value ever changes through another.
///
/// Why: nodes and links hold a dozen reference-counted fields each. Stored inline, every copy
/// (out of a dictionary, into a sorted array, into a view) retained and released each field,
/// and every array of them (the loader's, the graph's, the rules' base graph) held all the
/// fields again: copying nodes and links was about a tenth of loading a large plan (issue 9).
struct SharedFields<Fields: Hashable>: Hashable {
    private final class Box {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    init(_ fields: Fields) { box = Box(fields) }

    var value: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }
}

/// The box is only changed while uniquely referenced (`value`'s `_modify`).
extension SharedFields: @unchecked Sendable where Fields: Sendable {}
