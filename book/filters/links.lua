-- links.lua: links from one chapter to an id in another, on the website.
--
-- A chapter links to the glossary, or to any id another chapter sets with
-- {#id}, as [TLB](#glossary-tlb). The PDF and the EPUB are made from all
-- the chapters at once, so such a link finds its target there (pandoc's
-- EPUB writer adds the right file name). The website makes a page per
-- chapter; there this filter adds the page that holds the id:
-- #glossary-tlb becomes 09-glossary.html#glossary-tlb.

local inputs = PANDOC_STATE.input_files
if #inputs ~= 1 then
  return {}                     -- the whole book in one document
end

local folder, own = inputs[1]:match("^(.-)([^/]*)%.md$")
if not folder then
  return {}
end

local function ids_of(path)
  local f = io.open(path, "r")
  if not f then return {} end
  local found = {}
  for id in f:read("a"):gmatch("{#([%w_:.%-]+)") do found[#found + 1] = id end
  f:close()
  return found
end

local here, page_of = {}, {}
for _, id in ipairs(ids_of(folder .. own .. ".md")) do here[id] = true end
local list = io.popen('ls "' .. (folder ~= "" and folder or ".") .. '"')
for name in list:lines() do
  local page = name:match("^(.*)%.md$")
  if page and page ~= own then
    for _, id in ipairs(ids_of(folder .. name)) do
      page_of[id] = page_of[id] or page .. ".html"
    end
  end
end
list:close()

return {{
  Link = function(link)
    local id = link.target:match("^#(.+)$")
    if id and not here[id] and page_of[id] then
      link.target = page_of[id] .. "#" .. id
      return link
    end
  end
}}
