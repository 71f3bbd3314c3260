import CSV
import Foundation

/// CSV as spreadsheets and data tools read it: RFC 4180 quoting, UTF-8, LF line ends, a
/// final newline. `byteOrderMark` prefixes U+FEFF, which Excel needs to detect UTF-8 (Chinese
/// labels); off by default because other tools then see it as part of the first header.
public enum CSVEncoding {
    public static func encode(header: [String], rows: [[String]], byteOrderMark: Bool = false) -> Data {
        let stream = OutputStream(toMemory: ())
        // Writing to memory cannot fail; the writer only throws for closed or full streams.
        let writer = try! CSVWriter(stream: stream)
        try! writer.write(row: header)
        for row in rows { try! writer.write(row: row) }
        stream.close()
        var data = Data(byteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
        data.append(stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
        data.append(0x0A)
        return data
    }
}
