let n = 3_000_000 + CommandLine.arguments.count - 1
print(Array(0..<n).filter { $0 % 3 == 0 }.map { $0 * 2 }.reduce(0, +))
