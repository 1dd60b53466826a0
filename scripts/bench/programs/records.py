posts = [{"id": i, "likes": i % 100, "comments": i % 7, "shares": i % 13} for i in range(300_000)]
print(sum(p["likes"] + 2 * p["comments"] + 3 * p["shares"] for p in posts))
