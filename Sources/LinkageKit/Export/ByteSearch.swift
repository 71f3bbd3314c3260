import Foundation

/// A byte string found in a buffer: memchr to each occurrence of its first byte, then memcmp
/// (glibc's memmem is a GNU extension Swift does not import). For texts searched as bytes: the
/// source texts the self-checks read, inline SVG, and SVG files of tens of megabytes.
public enum ByteSearch {
    /// The offset of the first `needle` in `bytes` at or after `offset`; nil when there is none
    /// or `needle` is empty.
    public static func firstOffset(of needle: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard let base = bytes.baseAddress, let pin = needle.baseAddress, !needle.isEmpty else { return nil }
        var position = offset
        while bytes.count - position >= needle.count {
            guard let hit = memchr(base + position, Int32(needle[0]), bytes.count - position - needle.count + 1) else { return nil }
            let candidate = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, pin, needle.count) == 0 { return candidate }
            position = candidate + 1
        }
        return nil
    }
}
