local t = {}
for i = 0, 199999 do t[#t + 1] = string.format("post %d by user%d in #PostToWinLaunchpadKDK", i, i % 1000) end
print(#t)
