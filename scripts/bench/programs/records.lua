local posts = {}
for i = 0, 299999 do posts[#posts + 1] = {id = i, likes = i % 100, comments = i % 7, shares = i % 13} end
local s = 0
for _, p in ipairs(posts) do s = s + p.likes + 2 * p.comments + 3 * p.shares end
print(s)
