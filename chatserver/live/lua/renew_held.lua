-- renew_held: ARGV prefix, process id, ttl_ms. Renews the content TTL of every living
-- conversation a visitor socket of the process is attached to, or that the expert of one
-- of its console sockets holds. An expert's chat whose content has expired is taken off the
-- expert's list (it would count as load for good). Returns how many of them still exist.
local prefix, ttl = ARGV[1], ARGV[3]
local seen, existing = {}, 0
local function alive(conv)
  if seen[conv] == nil then
    seen[conv] = renew_content(prefix, conv, ttl)
    if seen[conv] then
      existing = existing + 1
    end
  end
  return seen[conv]
end
for _, conv in ipairs(redis.call('HKEYS', prefix .. 'proc_visitors:' .. ARGV[2])) do
  alive(conv)
end
for _, expert in ipairs(redis.call('HKEYS', prefix .. 'proc_experts:' .. ARGV[2])) do
  local lkey = prefix .. 'expert_chats:' .. expert
  for _, conv in ipairs(redis.call('LRANGE', lkey, 0, -1)) do
    if not alive(conv) then
      redis.call('LREM', lkey, 0, conv)
    end
  end
end
return existing
