-- edition.lua: one book for the teacher, one for the student.
--
-- An exercise's section in a chapter holds two kinds of div:
--
--   ::: {.solution}                         the reference edition only: the
--   ```{.c include="step02-vga/vga.c" ...}   listing of the solution and the
--   ```                                      prose that explains its code
--   :::
--
--   ::: {.student exercise="step02-scroll"}  the student's edition only: the
--   **What to do.** ...                      idea without the code (see
--   :::                                      book/README.md, "Two editions")
--
-- BOOK_EDITION (set by build.py) picks the edition: "student" in a tree made
-- by tools/workshop, "reference" where the solutions are. The kept div stays
-- a div (its class names it); the other goes, with everything inside it.

local EDITION = os.getenv("BOOK_EDITION") or "reference"

if EDITION ~= "student" and EDITION ~= "reference" then
  io.stderr:write("book: BOOK_EDITION is '" .. EDITION .. "'; it must be student or reference\n")
  os.exit(3)
end

local LABELS = {
  "What to do.", "The facts you need.", "The invariant to keep.", "What the tests check.",
}

-- A student div must name its exercise and say each of the four things, so
-- that no exercise's section is left with a sentence where its listing was.
local function check_student(div)
  local eid = div.attributes.exercise
  if not eid or not eid:match("^step%d%d%-[%w%-]+$") then
    io.stderr:write("book: a student div needs exercise=\"stepNN-name\"\n")
    os.exit(3)
  end
  local text = pandoc.utils.stringify(div)
  for _, label in ipairs(LABELS) do
    if not text:find(label, 1, true) then
      io.stderr:write("book: the student text of " .. eid .. " has no '" .. label .. "'\n")
      os.exit(3)
    end
  end
end

function Div(div)
  if div.classes:includes("student") then
    check_student(div)
    if EDITION == "student" then return div end
    return {}
  end
  if div.classes:includes("solution") then
    if EDITION == "reference" then return div end
    return {}
  end
end
