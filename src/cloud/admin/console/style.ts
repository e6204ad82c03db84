/** The console page's stylesheet (console.css): readable, high contrast, a visible focus ring. */
export const PAGE_CSS = `:root {
  --ink: #16191f; --muted: #545b64; --line: #d1d5db; --bg: #f2f3f3; --panel: #fff;
  --accent: #0b5ed7; --ok: #1d6b2f; --bad: #b3261e; --focus: #0b5ed7;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.45; }
.page-header { background: #232f3e; color: #fff; padding: 1rem 1.5rem; }
.page-header h1 { margin: 0 0 .25rem; font-size: 1.4rem; }
.page-header p { margin: 0; color: #d5dbdb; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; display: grid; gap: 1rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
.panel h2 { margin: 0 0 .75rem; font-size: 1.15rem; }
.panel-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td ul { margin: 0; padding-left: 1rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .75rem 1rem; }
.field { display: flex; flex-direction: column; gap: .25rem; margin-bottom: .75rem; }
label { font-weight: 600; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; padding: .5rem .75rem; }
fieldset label { font-weight: normal; margin-right: 1.25rem; }
legend { font-weight: 600; padding: 0 .25rem; }
select, input, textarea, button { font: inherit; color: inherit; }
select, input[type=text], input:not([type]), textarea { border: 1px solid #8d99a8; border-radius: 4px; padding: .35rem .5rem; background: #fff; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; width: 100%; resize: vertical; }
button { border: 1px solid #8d99a8; background: #fff; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
button.link { border: none; background: none; color: var(--accent); text-decoration: underline; padding: 0; }
button:disabled { opacity: .6; cursor: progress; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.hint { margin: 0; color: var(--muted); font-size: .85rem; }
.error { margin: 0; color: var(--bad); font-weight: 600; }
.status { min-height: 1.4em; margin: .5rem 0 0; color: var(--muted); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
:focus:not(:focus-visible) { outline: none; }
.skip-link { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.outcome { font-weight: 700; margin: 0 0 .5rem; }
.outcome.succeeded { color: var(--ok); }
.outcome.failed { color: var(--bad); }
.outcome.queued { color: var(--accent); }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .75rem; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #0f1b2a; color: #e6edf3; padding: .75rem; border-radius: 6px; overflow: auto; max-height: 28rem; white-space: pre-wrap; word-break: break-word; }
h3 { font-size: 1rem; margin: .75rem 0 .35rem; }
`;
