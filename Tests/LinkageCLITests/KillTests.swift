import Foundation
import LinkageTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` at random moments of `linkage all`: every analysis folder is always there and
/// complete, wholly from the run before or wholly from the killed run, and the next run leaves
/// no hidden leftovers and an index that agrees with the folders.
///
/// The suite kills 6 runs; `scripts/kill-test.sh` runs the same test with 40 or more kills
/// against the release binary (`LINKAGE_KILLS`, `LINKAGE_EXECUTABLE`).
@Suite("Killed runs", .serialized)
struct KillTests {
    static var kills: Int { Int(ProcessInfo.processInfo.environment["LINKAGE_KILLS"] ?? "") ?? 6 }

    /// Every non-hidden file of each analysis folder, with its bytes.
    static func snapshot(_ folder: URL) throws -> [String: [String: Data]] {
        var result: [String: [String: Data]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            let sub = folder.appendingPathComponent(name)
            guard (try? sub.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { continue }
            var files: [String: Data] = [:]
            for file in relativeFiles(in: sub) { files[file] = try Data(contentsOf: sub.appendingPathComponent(file)) }
            result[name] = files
        }
        return result
    }

    @Test func killedRunsLeaveEveryFolderWholeAndTheNextRunCleansUp() throws {
        let folder = try makeTemporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let references = ["en", "zh"].map { folder.appendingPathComponent("reference-\($0)") }
        var duration = 0.0
        for (language, reference) in zip(["en", "zh"], references) {
            let start = Date()
            #expect(try runLinkage(["all", "-o", reference.path, "--quiet", "--lang", language]).status == 0)
            duration = max(duration, Date().timeIntervalSince(start))
        }
        let expected = try references.map(Self.snapshot)
        // The five built-in analyses and the example in analyses/ (budget-per-sdg).
        #expect(expected[0].count == 6 && expected[0].keys.sorted() == expected[1].keys.sorted())
        let out = folder.appendingPathComponent("out")
        #expect(try runLinkage(["all", "-o", out.path, "--quiet", "--lang", "en"]).status == 0)

        var killedWhileRunning = 0, mixedAfterKill = 0, log: [String] = []
        for round in 0..<Self.kills {
            let language = round % 2 == 0 ? "zh" : "en"
            let process = Process()
            process.executableURL = Repository.linkageExecutable
            process.arguments = ["all", "-o", out.path, "--lang", language, "--datasets", Repository.datasets.path]
            process.environment = linkageEnvironment()
            process.standardOutput = FileHandle.nullDevice
            // Progress says when the folders start being swapped in ("writing …").
            let progress = Pipe()
            process.standardError = progress
            let swapping = DispatchSemaphore(value: 0)
            let reader = Thread {
                var seen = Data()
                while true {
                    let chunk = progress.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    seen.append(chunk)
                    if String(decoding: seen, as: UTF8.self).contains("… writing ") {
                        swapping.signal()
                        seen = Data()
                        _ = progress.fileHandleForReading.readDataToEndOfFile()
                        break
                    }
                }
            }
            reader.start()
            try process.run()
            // Odd rounds: a random moment within (a little more than) one whole run. Even rounds:
            // a random moment within 40 ms of the start of the swaps, where a kill matters most.
            let targeted = round % 2 == 0
            let delay: Double
            if targeted {
                _ = swapping.wait(timeout: .now() + duration * 3)
                delay = Double.random(in: 0...0.04)
            } else {
                delay = Double.random(in: 0...(duration * 1.1))
            }
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedWhileRunning += 1
            }
            process.waitUntilExit()
            let state = try Self.snapshot(out)
            var sources: Set<Int> = []
            for (name, files) in state {
                let match = expected.firstIndex { $0[name] == files }
                #expect(match != nil, "round \(round) (\(language), killed after \(delay) s): \(name)/ is neither the old nor the new folder: \(files.keys.sorted())")
                if let match { sources.insert(match) }
            }
            #expect(state.keys.sorted() == expected[0].keys.sorted(), "round \(round): analysis folders \(state.keys.sorted())")
            if sources.count > 1 { mixedAfterKill += 1 }
            log.append(String(format: targeted ? "swap+%.3f s" : "%.2f s", delay))
            while !reader.isFinished { usleep(1000) }
        }
        // The next run completes and leaves nothing hidden but the manifests.
        let final = try runLinkage(["all", "-o", out.path, "--lang", "en"])
        #expect(final.status == 0, "\(final.stderr)")
        let hidden = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(hidden == [".linkage-output.json"])
        #expect(try Self.snapshot(out) == expected[0])
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        for link in index.matches(of: /\]\(([^)]+)\)/) where !String(link.1).contains(":") {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(String(link.1)).path), "index links \(link.1)")
        }
        print("killed \(killedWhileRunning) of \(Self.kills) runs while running (\(mixedAfterKill) between two folder swaps); delays \(log.joined(separator: ", "))")
        #expect(killedWhileRunning >= Self.kills / 2)
    }
}
