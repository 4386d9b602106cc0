/*
 * The web-chat widget's page (what the embed's iframe shows) and the embed script. Plain HTML
 * and JavaScript, no build step: the page talks to the public widget API of its own origin and
 * keeps the visitor's token in localStorage, so a visitor who comes back resumes their chat.
 */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function widgetPage(p: { key: string; botName: string }): string {
  const name = escapeHtml(p.botName);
  // The key is [A-Za-z0-9_-]{32} (checked before the page is made): safe inside a JS string.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat with ${name}</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1f2937; background: #fff; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 12px 16px; background: #4f46e5; color: #fff; font-weight: 600; }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .msg { max-width: 80%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-wrap: break-word; }
  .user { align-self: flex-end; background: #4f46e5; color: #fff; }
  .assistant, .human_agent { align-self: flex-start; background: #f3f4f6; }
  .note { align-self: center; color: #6b7280; font-size: 12px; }
  form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid #e5e7eb; }
  textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #d1d5db; border-radius: 8px; }
  button { font: inherit; padding: 8px 14px; border: 0; border-radius: 8px; background: #4f46e5; color: #fff; cursor: pointer; }
  button:disabled { opacity: .5; cursor: default; }
</style>
</head>
<body>
<header>${name}</header>
<main id="log" role="log" aria-live="polite" aria-label="Conversation"></main>
<form id="form" aria-label="Send a message">
  <textarea id="text" rows="2" maxlength="4000" aria-label="Message" placeholder="Type a message"></textarea>
  <button type="submit" id="send">Send</button>
</form>
<script>
(function () {
  var key = '${p.key}';
  var base = '/api/v1/widget/' + key;
  var storeKey = 'flowline-widget:' + key;
  var log = document.getElementById('log');
  var form = document.getElementById('form');
  var input = document.getElementById('text');
  var send = document.getElementById('send');
  // Embedded, this page is a third-party frame whose storage browsers often refuse: the embed
  // script keeps the token in the site's own storage and hands it over in the URL's fragment.
  var token = null;
  try { token = localStorage.getItem(storeKey); } catch (e) { /* storage refused */ }
  var handed = /[#&]token=([^&]+)/.exec(location.hash);
  if (handed) token = decodeURIComponent(handed[1]);
  function keep(t) {
    try { localStorage.setItem(storeKey, t); } catch (e) { /* storage refused */ }
    // Only the bot's allowed sites can frame this page (frame-ancestors): the parent is one of them.
    if (window.parent !== window) window.parent.postMessage({ type: 'flowline-widget:token', key: key, token: t }, '*');
  }

  function show(role, text) {
    var div = document.createElement('div');
    div.className = 'msg ' + role;
    div.setAttribute('data-role', role);
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }
  function note(text) {
    var div = document.createElement('div');
    div.className = 'note';
    div.textContent = text;
    log.appendChild(div);
  }
  function call(method, path, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(base + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.detail || ('Error ' + res.status));
        return data;
      });
    });
  }
  function start() {
    return call('POST', '/sessions', {}).catch(function () {
      token = null;
      return call('POST', '/sessions', {});
    }).then(function (s) {
      if (s.token !== token) keep(s.token);
      token = s.token;
      return call('GET', '/messages');
    }).then(function (h) {
      h.messages.forEach(function (m) { show(m.role, m.text); });
    });
  }
  var ready = start().catch(function (err) { note(err.message); });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = '';
    send.disabled = true;
    show('user', text);
    ready.then(function () { return call('POST', '/messages', { text: text }); }).then(function (r) {
      if (r.reply) show('assistant', r.reply);
      else if (r.status === 'handed_off') note('A person will answer you here.');
    }).catch(function (err) { note(err.message); }).then(function () { send.disabled = false; input.focus(); });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
})();
</script>
</body>
</html>
`;
}

/** <script src="https://app.example/widget.js" data-key="..."> adds a chat button and the widget in an iframe. */
export const widgetScript = `(function () {
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-key');
  if (!key) return;
  var origin = new URL(script.src).origin;
  // The visitor's token lives in this site's storage (the widget's frame may have none of its own).
  var storeKey = 'flowline-widget:' + key;
  var token = null;
  try { token = localStorage.getItem(storeKey); } catch (e) { /* storage refused: a new chat each visit */ }
  var frame = document.createElement('iframe');
  frame.src = origin + '/widget/' + encodeURIComponent(key) + (token ? '#token=' + encodeURIComponent(token) : '');
  window.addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow || !e.data || e.data.type !== 'flowline-widget:token' || e.data.key !== key) return;
    try { localStorage.setItem(storeKey, String(e.data.token)); } catch (err) { /* see above */ }
  });
  frame.title = 'Chat';
  frame.style.cssText = 'position:fixed;bottom:88px;right:24px;width:360px;height:520px;max-height:calc(100vh - 112px);border:0;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.2);z-index:2147483646;display:none;background:#fff';
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Chat';
  button.setAttribute('aria-label', 'Open chat');
  button.style.cssText = 'position:fixed;bottom:24px;right:24px;height:48px;padding:0 20px;border:0;border-radius:24px;background:#4f46e5;color:#fff;font:600 14px system-ui,sans-serif;cursor:pointer;z-index:2147483647';
  button.addEventListener('click', function () {
    var open = frame.style.display === 'none';
    frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
  });
  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
`;
