-- A real editor drives evc's language server: Neovim's built-in LSP client
-- (0.7 and later) opens an example, introduces an error, and checks the
-- diagnostics, hover, definition, rename and formatting. Run by
-- editors/editors_test.go as
--   EVC_BIN=... EVC_ROOT=... nvim --headless -u NONE -c "luafile lsp_test.lua"
-- It prints "ok: ..." per check and exits 0, or prints "FAIL: ..." and exits 1.
local evc = assert(os.getenv("EVC_BIN"), "EVC_BIN")
local root = assert(os.getenv("EVC_ROOT"), "EVC_ROOT")

local function fail(msg)
  io.stdout:write("FAIL: " .. msg .. "\n")
  vim.cmd("cquit 1")
end

local function ok(msg)
  io.stdout:write("ok: " .. msg .. "\n")
end

local ok_run, err = pcall(function()
  vim.cmd("edit " .. root .. "/learning.evc")
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "evc", cmd = { evc, "lsp" }, root_dir = root })
  if not id then fail("the client did not start") end
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  if not vim.wait(20000, function() return client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil end, 50) then
    fail("the server did not initialize")
  end
  ok("initialized")

  -- The position of the first occurrence of text (0-based).
  local function find(text)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = line:find(text, 1, true)
      if col then return { line = i - 1, character = col - 1 } end
    end
    fail("no " .. text .. " in the buffer")
  end
  local function params(position)
    return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
  end
  local function request(method, p)
    local res, e = client.request_sync(method, p, 10000, buf)
    if not res then fail(method .. ": " .. tostring(e)) end
    if res.err then fail(method .. ": " .. vim.inspect(res.err)) end
    return res.result
  end

  -- An error: a misspelt type. The client sends the change; the server
  -- publishes the diagnostic.
  local at = find("user: UserData;")
  local original = vim.api.nvim_buf_get_lines(buf, at.line, at.line + 1, false)[1]
  vim.api.nvim_buf_set_lines(buf, at.line, at.line + 1, false, { "  user: UserDat;" })
  if not vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    fail("no diagnostic for the misspelt type")
  end
  local d = vim.diagnostic.get(buf)[1]
  if not d.message:find('unknown type "UserDat"', 1, true) or not d.message:find('did you mean "UserData"', 1, true) then
    fail("diagnostic: " .. d.message)
  end
  if d.lnum ~= at.line then fail("diagnostic on line " .. d.lnum .. ", want " .. at.line) end
  ok("diagnostic: " .. d.message:gsub("\n", " | "))

  -- Fixed again: the diagnostics clear.
  vim.api.nvim_buf_set_lines(buf, at.line, at.line + 1, false, { original })
  if not vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 50) then
    fail("the diagnostic did not clear")
  end
  ok("diagnostics cleared")

  -- Hover on a type used in the file.
  local p = find("UserData;")
  p.character = p.character + 2
  local hover = request("textDocument/hover", params(p))
  if not hover or not hover.contents.value:find("record org.openedx.learning.UserData", 1, true) then
    fail("hover: " .. vim.inspect(hover))
  end
  ok("hover: " .. hover.contents.value:gsub("\n", " | "))

  -- Definition: in the imported file.
  local defs = request("textDocument/definition", params(p))
  if not defs or #defs ~= 1 or not defs[1].uri:find("common.evc$") then
    fail("definition: " .. vim.inspect(defs))
  end
  ok("definition: " .. defs[1].uri .. ":" .. (defs[1].range.start.line + 1))

  -- Rename across files, applied by the editor.
  local edit = request("textDocument/rename", vim.tbl_extend("force", params(p), { newName = "LearnerData" }))
  local files = 0
  for _ in pairs(edit.changes or {}) do files = files + 1 end
  if files ~= 2 then fail("rename touches " .. files .. " files, want 2: " .. vim.inspect(edit)) end
  vim.lsp.util.apply_workspace_edit(edit, "utf-16")
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  if text:find("UserData;", 1, true) or not text:find("user: LearnerData;", 1, true) then
    fail("after the rename:\n" .. text)
  end
  ok("rename in " .. files .. " files")

  -- Formatting: a messy line comes back as evc fmt writes it.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "record   Extra{a:int;}" })
  local edits = request("textDocument/formatting", { textDocument = { uri = vim.uri_from_bufnr(buf) }, options = { tabSize = 2, insertSpaces = true } })
  if not edits or #edits == 0 then fail("formatting gave no edit") end
  vim.lsp.util.apply_text_edits(edits, buf, "utf-16")
  text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  if not text:find("record Extra {\n  a: int;\n}", 1, true) then
    fail("after formatting:\n" .. text)
  end
  ok("formatting")
end)
if not ok_run then fail(tostring(err)) end
vim.cmd("qall!")
