import Foundation

/// The query of a request as HTML forms send it (`application/x-www-form-urlencoded`): `+` is
/// a space and `%XX` a byte. Written here because Hummingbird's `queryParameters` keeps `+`
/// (it follows RFC 3986, not the form encoding browsers use for GET forms). First value wins.
public struct QueryParameters: Sendable {
    private var pairs: [(String, String)]

    public init(_ pairs: [(String, String)] = []) { self.pairs = pairs }

    public init(query: String?) {
        pairs = (query ?? "").split(separator: "&").compactMap { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(pieces[0]), !name.isEmpty else { return nil }
            return (name, pieces.count > 1 ? (Self.decode(pieces[1]) ?? "") : "")
        }
    }

    public subscript(name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// `name=value&…` with everything but unreserved characters percent-encoded.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
}
