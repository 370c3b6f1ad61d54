-- machine.lua: a live machine in a chapter.
--
--   ::: {.machine step="06"}
--   Click its screen and type `hello`.      (what to try: optional)
--   :::
--
-- On the website (the default) the div stays, its text followed by a line
-- saying how to run the same step locally; machine/machine.js turns it into the PC that boots
-- stepNN's build/os.img in the browser. In print and in the EPUB (metadata
-- machine=note) a paragraph before its text points to the web edition:
-- live-url (metadata, the website's address) when known, else the page in
-- book/out/html/. The page is machine-page-NN (metadata, from build.py).
-- On a website built without the emulator (metadata machine=missing, when
-- npm could not reach its registry: machine-missing is npm's error code) a
-- note says so in its place.

local meta = {}

local function text(value)
  return value and pandoc.utils.stringify(value) or nil
end

local function Meta(m)
  meta = m
end

local function Div(div)
  if not div.classes:includes("machine") then return nil end
  local step = div.attributes.step
  if not step or not step:match("^%d%d$") then
    io.stderr:write("book: a machine div needs step=\"NN\" (two digits)\n")
    os.exit(3)
  end
  local run = "`make run STEP=" .. step .. "`"
  local mode = text(meta.machine)
  if mode ~= "note" and mode ~= "missing" then
    div.content:extend(pandoc.read("To run the same on your own machine: " .. run .. ".",
                                   "markdown").blocks)
    div.attributes["data-step"] = step
    div.attributes.step = nil
    return div
  end
  local note
  if mode == "missing" then
    note = "**Live machine: not in this build.** In the full build a PC here boots step " ..
      step .. " in your browser; `make book` could not install its emulator, v86, from npm (`" ..
      (text(meta["machine-missing"]) or "?") .. "`), and said what to do. " ..
      "On your own machine: " .. run .. "."
  else
    local page = text(meta["machine-page-" .. step]) or ""
    local url = text(meta["live-url"]) or ""
    local where
    if url ~= "" then
      where = "<" .. url:gsub("/*$", "/") .. page .. ">"
    else
      where = "the page `book/out/html/" .. page .. "` that `make book` builds"
    end
    note = "**Live machine.** The web edition of this chapter boots step " .. step ..
      " in your browser on a click, with its screen and its serial output: " .. where ..
      ". On your own machine: " .. run .. "."
  end
  local blocks = pandoc.read(note, "markdown").blocks
  blocks:extend(div.content)
  return pandoc.Div(blocks, pandoc.Attr("", {"machine-note"}))
end

return {{Meta = Meta}, {Div = Div}}
