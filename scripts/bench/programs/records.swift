struct Post { var id, likes, comments, shares: Int }
let n = 300_000 + CommandLine.arguments.count - 1
let posts = (0..<n).map { Post(id: $0, likes: $0 % 100, comments: $0 % 7, shares: $0 % 13) }
print(posts.map { $0.likes + 2 * $0.comments + 3 * $0.shares }.reduce(0, +))
