-- Drives "ffivet lsp" from Neovim 0.7 or later, as a user would: open a
-- Go file, wait for ffivet's diagnostics, apply the quick fix offered
-- for the first one, write the file, and wait for the diagnostics to go.
--
-- Run headless: FFIVET=/path/to/ffivet FILE=/path/to/file.go OUT=result.txt
--   nvim --headless -u NONE -c 'luafile nvim.lua'
-- Each step is written to OUT as it happens; the last line is "done" on
-- success or starts with "error:".

local out = assert(io.open(os.getenv('OUT'), 'w'))
local function say(fmt, ...)
  out:write(string.format(fmt, ...), '\n')
  out:flush()
end

local function finish(code)
  out:close()
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  local file = assert(os.getenv('FILE'), 'FILE not set')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'go'
  local uri = vim.uri_from_bufnr(buf)

  local publishes = 0
  local exit_code
  local client_id = vim.lsp.start_client({
    name = 'ffivet',
    cmd = { assert(os.getenv('FFIVET'), 'FFIVET not set'), 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        if result.uri == uri then
          publishes = publishes + 1
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(e, result, ctx, config)
      end,
      ['window/logMessage'] = function(_, result)
        say('log: %s', result.message)
      end,
    },
    on_exit = function(code)
      exit_code = code
    end,
  })
  assert(client_id, 'cannot start ffivet lsp')
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  local function wait_publish(n)
    assert(vim.wait(120000, function() return publishes >= n end, 50),
      'no diagnostics from ffivet within two minutes')
  end

  wait_publish(1)
  local diags = vim.diagnostic.get(buf)
  table.sort(diags, function(a, b) return a.lnum < b.lnum end)
  for _, d in ipairs(diags) do
    say('diagnostic %d:%d [%s %s] %s', d.lnum + 1, d.col + 1, d.source, d.code, d.message)
  end
  assert(#diags > 0, 'no diagnostics')

  -- Ask for the code actions at the first diagnostic, as
  -- vim.lsp.buf.code_action() does with the cursor on it.
  local d = diags[1]
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf) }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 60000)
  local response = assert(responses and responses[client_id], 'no answer to codeAction')
  assert(not response.err, vim.inspect(response.err))
  local actions = response.result or {}
  for _, a in ipairs(actions) do
    say('action [%s] %s', a.kind, a.title)
  end
  assert(#actions > 0, 'no code action')
  vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding)

  -- Writing the buffer sends didSave, which checks the package again.
  vim.cmd('write')
  wait_publish(2)
  say('after write: %d diagnostics', #vim.diagnostic.get(buf))

  client.stop()
  assert(vim.wait(30000, function() return exit_code ~= nil end, 50), 'ffivet lsp did not exit')
  say('server exit: %d', exit_code)
end)

if ok then
  say('done')
  finish(0)
else
  say('error: %s', tostring(err))
  finish(1)
end
