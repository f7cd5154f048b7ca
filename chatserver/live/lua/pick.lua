-- Shared ranking, prepended to the scripts that choose an expert (request, assign_head).
-- Keys are built from the prefix passed as ARGV[1]: one Redis, not a cluster.

-- The best eligible expert id for `audience` among the candidate ids ARGV[first..], or nil.
-- Eligible and ranked exactly as ExpertState.is_eligible and .rank: focus match first,
-- then fewest active chats, then longest idle; ties go to the earliest candidate.
local function pick(prefix, audience, now, first)
  local needle = ',' .. audience .. ','
  local best, best_match, best_load, best_idle
  local seen = {}
  for i = first, #ARGV do
    local id = ARGV[i]
    if not seen[id] then
      seen[id] = true
      local e = redis.call('HMGET', prefix .. 'expert:' .. id,
        'conns', 'available', 'capacity', 'cooldown_until', 'idle_since', 'focus')
      if e[1] then
        local load = redis.call('LLEN', prefix .. 'expert_chats:' .. id)
        if tonumber(e[1]) > 0 and e[2] == '1' and load < tonumber(e[3])
            and tonumber(e[4]) <= now then
          local match = string.find(e[6], needle, 1, true) and 0 or 1
          local idle = tonumber(e[5])
          if best == nil or match < best_match
              or (match == best_match and (load < best_load
                or (load == best_load and idle < best_idle))) then
            best, best_match, best_load, best_idle = id, match, load, idle
          end
        end
      end
    end
  end
  return best
end
