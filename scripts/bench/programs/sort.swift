let n = 300_000 + CommandLine.arguments.count - 1
print((0..<n).map { ($0 * 7919) % 300_007 }.sorted()[150_000])
