-- include.lua: fill code blocks from the real source files.
--
-- A code block with an `include` attribute is replaced by (part of) a file,
-- a path relative to the top of the repository:
--
--   ```{.c include="step02-vga/vga.c"}                          whole file
--   ```{.c include="step02-vga/vga.c" function="vga_putc"}      one C function
--   ```{include="step01-boot/boot.asm" from="^load_kernel:" to="^enable_a20:"}
--
-- function=NAME takes the definition: the first line that starts in column 0,
-- contains NAME( and is not a declaration ending in ';', through the next
-- line that is a '}' in column 0.
-- from=PATTERN starts at the first line matching the Lua pattern; to=PATTERN
-- stops before the first later line that matches it (the end of the file
-- when to is left out).
--
-- A code block with a `stepdiff` attribute shows `tools/stepdiff NN`:
--
--   ```{stepdiff="02"}                 the whole diff
--   ```{stepdiff="02" file="kmain.c"}  the diff of one file
--   ```{stepdiff="02" summary="yes"}   a list of files, lines added and removed
--
-- A code block with an `exercises` attribute lists a step's graded
-- exercises (tests/exercises.py), each with its `make grade` command.
--
-- Anything missing (file, function, pattern, step) stops the build with a
-- message naming it, so a listing can never silently go stale.

local ROOT = os.getenv("BOOK_ROOT") or "."

local function fail(where, what)
  io.stderr:write("book: listing " .. where .. ": " .. what .. "\n")
  os.exit(3)
end

local function read_lines(path)
  local f = io.open(ROOT .. "/" .. path, "r")
  if not f then fail(path, "file not found") end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

-- The student's edition (edition.lua) shows the stubs, never a solution.
local STUDENT = os.getenv("BOOK_EDITION") == "student"

-- The lines first..last without the workshop's exercise markers: a region's
-- BEGIN line, and its STUB comment through its END line, go; the solution
-- stays. In the student's edition it is the other way round: the solution
-- goes, and the stub between the STUB and END lines stays. Returns the text,
-- and whether anything was cut.
local function without_markers(lines, first, last)
  local kept, state, cut = {}, "code", false
  for i = first, last do
    local line = lines[i]
    if line:match("EXERCISE step%d%d%-[%w%-]+ BEGIN") then
      state, cut = "solution", true
    elseif line:match("EXERCISE step%d%d%-[%w%-]+ STUB") then
      state, cut = "stub", true
    elseif line:match("EXERCISE step%d%d%-[%w%-]+ END") and state == "stub" then
      state = "code"
    elseif state == "code" or (state == "solution") ~= STUDENT then
      kept[#kept + 1] = line
    end
  end
  return table.concat(kept, "\n"), cut
end

local function escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

-- first, last: the range of a C function's definition.
local function find_function(lines, name, path)
  local call = escape(name) .. "%s*%("
  for i, line in ipairs(lines) do
    if line:match("^[%a_]") and (line:match("^" .. call) or line:match("[^%w_]" .. call))
       and not line:match(";%s*$") then
      for j = i + 1, #lines do
        if lines[j]:match("^}") then return i, j end
      end
      fail(path, "function " .. name .. " has no closing '}' in column 0")
    end
  end
  fail(path, "function " .. name .. " not found")
end

local function find_pattern(lines, pattern, start, path, attr)
  for i = start, #lines do
    if lines[i]:match(pattern) then return i end
  end
  fail(path, attr .. " pattern '" .. pattern .. "' matches no line")
end

local LANGS = { c = "c", h = "c", asm = "nasm", ld = "c", py = "python", sh = "bash" }

local function caption(text)
  return pandoc.Div({ pandoc.Para({ pandoc.Code(text) }) }, { class = "listing-source" })
end

local function include(block)
  local path = block.attributes.include
  local lines = read_lines(path)
  local first, last = 1, #lines
  local fn, from, to = block.attributes["function"], block.attributes.from, block.attributes.to
  if fn then
    first, last = find_function(lines, fn, path)
  end
  if from then
    first = find_pattern(lines, from, 1, path, "from")
  end
  if to then
    last = find_pattern(lines, to, first + 1, path, "to") - 1
  end
  while last > first and lines[last]:match("^%s*$") do last = last - 1 end
  local text, cut = without_markers(lines, first, last)
  local classes = block.classes
  if #classes == 0 then
    local ext = path:match("%.(%w+)$")
    classes = { LANGS[ext] or (path:match("Makefile$") and "makefile") or "default" }
  end
  local label = path
  if first ~= 1 or last ~= #lines then
    label = string.format("%s, lines %d-%d", path, first, last)
  end
  if cut then
    label = label .. ", without the exercise markers"
  else
    table.insert(classes, "numberLines")   -- numbers only when they are the file's
  end
  local code = pandoc.CodeBlock(text, pandoc.Attr("", classes, { startFrom = tostring(first) }))
  return { caption(label), code }
end

local function stepdiff(block)
  local step = block.attributes.stepdiff
  local cmd = string.format("cd '%s' && tools/stepdiff %s 2>&1", ROOT, step)
  local pipe = io.popen(cmd, "r")
  local out = pipe:read("a")
  local ok = pipe:close()
  if not ok then fail("stepdiff " .. step, "tools/stepdiff failed: " .. out) end
  -- split into per-file parts
  local parts, order = {}, {}
  local current
  for line in (out .. "\n"):gmatch("(.-)\n") do
    -- the path inside the step folder, user/syscall.h apart from syscall.h
    local name = line:match("^diff %-ruN .- step%d%d%-%w+/(%S+) step%d%d%-%w+/%S+$")
    if name then
      current = name
      parts[name] = { lines = {}, added = 0, removed = 0, new = false }
      order[#order + 1] = name
    elseif current then
      local p = parts[current]
      if line:match("^%-%-%- ") then
        p.lines[#p.lines + 1] = line:match("^(%-%-%- %S+)")   -- without the file's time
      elseif line:match("^%+%+%+ ") then
        p.lines[#p.lines + 1] = line:match("^(%+%+%+ %S+)")
      else
        -- A new file is all one hunk from nothing: "@@ -0,0 +1,N @@". (diff -N
        -- also dates its missing side 1970-01-01, but only in UTC.)
        if line:match("^@@ %-0,0 %+") and p.added == 0 and p.removed == 0 then p.new = true end
        p.lines[#p.lines + 1] = line
        if line:match("^%+") then p.added = p.added + 1 end
        if line:match("^%-") then p.removed = p.removed + 1 end
      end
    end
  end
  if #order == 0 then fail("stepdiff " .. step, "the diff is empty") end
  if block.attributes.summary then
    local items = {}
    for _, name in ipairs(order) do
      local p = parts[name]
      local what = p.new and string.format("new, %d lines", p.added)
        or string.format("changed: %d lines added, %d removed", p.added, p.removed)
      items[#items + 1] = { pandoc.Plain({ pandoc.Code(name), pandoc.Str(": " .. what) }) }
    end
    return pandoc.BulletList(items)
  end
  local file = block.attributes.file
  local text
  if file then
    local p = parts[file]
    if not p then fail("stepdiff " .. step, "file " .. file .. " is not in the diff") end
    text = table.concat(p.lines, "\n")
  else
    local all = {}
    for _, name in ipairs(order) do
      all[#all + 1] = "diff " .. name
      for _, line in ipairs(parts[name].lines) do all[#all + 1] = line end
    end
    text = table.concat(all, "\n")
  end
  local label = "tools/stepdiff " .. step .. (file and (", " .. file) or "")
  return { caption(label), pandoc.CodeBlock(text, pandoc.Attr("", { "diff" }, {})) }
end

-- A code block with a `markdown` attribute is replaced by that Markdown
-- file, parsed: ```{markdown="bench/results.md"}. Its image results.svg is
-- the book's images/bench.svg, a copy make bench leaves there.
local function markdown_file(block)
  local path = block.attributes.markdown
  local text = table.concat(read_lines(path), "\n")
  local doc = pandoc.read(text, "markdown")
  local div = pandoc.walk_block(pandoc.Div(doc.blocks), {
    Image = function(img)
      if img.src == "results.svg" then img.src = "images/bench.svg" end
      return img
    end,
    Header = function(h)            -- under the chapter's own title
      h.level = h.level + 1
      return h
    end,
  })
  div.classes = { "wide" }          -- book.css: wide tables scroll, in small type
  return div
end

-- A code block with an `exercises` attribute lists that step's graded
-- exercises, from tests/exercises.py: ```{exercises="step02"}
local function exercise_list(block)
  local step = block.attributes.exercises
  local cmd = string.format("cd '%s' && python3 tests/exercises.py %s 2>&1", ROOT, step)
  local pipe = io.popen(cmd, "r")
  local out = pipe:read("a")
  local ok = pipe:close()
  if not ok or out == "" then fail("exercises " .. step, "tests/exercises.py: " .. out) end
  return pandoc.read(out, "markdown").blocks
end

function CodeBlock(block)
  if block.attributes.include then return include(block) end
  if block.attributes.exercises then return exercise_list(block) end
  if block.attributes.markdown then return markdown_file(block) end
  if block.attributes.stepdiff then return stepdiff(block) end
end
