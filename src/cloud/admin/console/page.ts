/**
 * The console page's HTML: plain markup, labels on every control, a form whose submit invokes
 * (Enter; Ctrl+Enter in the event editor), and an aria-live result region. Served as
 * /_testbed/console; its style and script are console.css and console.js beside it (style.ts,
 * script.ts). Kept as a TS module so `tsc` carries it into dist/.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test functions - lambda-testbed console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_testbed/console/console.css">
<script src="/_testbed/console/console.js" defer></script>
</head>
<body>
<a class="skip-link" href="#event-json">Skip to the event editor</a>
<header class="page-header">
  <h1>Lambda test console</h1>
  <p>Invoke a function of this embedded cloud with a test event, as the AWS console's Test tab does.</p>
</header>
<main>
  <section class="panel" aria-labelledby="functions-heading">
    <div class="panel-head">
      <h2 id="functions-heading">Functions</h2>
      <button type="button" id="refresh">Refresh list</button>
    </div>
    <table id="functions-table">
      <caption class="visually-hidden">Functions of this cloud with their configuration and last invocations</caption>
      <thead>
        <tr><th scope="col">Function</th><th scope="col">Region</th><th scope="col">Runtime</th><th scope="col">Memory (MB)</th><th scope="col">Timeout (s)</th><th scope="col">Last invocations</th></tr>
      </thead>
      <tbody></tbody>
    </table>
    <p id="no-functions" hidden>No functions yet. Create one with the AWS SDK or CLI (CreateFunction), then refresh.</p>
  </section>

  <form id="test-form" class="panel" aria-labelledby="test-heading" novalidate>
    <h2 id="test-heading">Test event</h2>
    <div class="grid">
      <div class="field">
        <label for="function">Function</label>
        <select id="function" name="function"></select>
      </div>
      <div class="field">
        <label for="template">Template</label>
        <select id="template" name="template" aria-describedby="template-hint"></select>
        <p id="template-hint" class="hint">Choosing a template replaces the event JSON.</p>
      </div>
      <div class="field">
        <label for="saved">Saved event</label>
        <select id="saved" name="saved" aria-describedby="saved-hint">
          <option value="">(none)</option>
        </select>
        <p id="saved-hint" class="hint">Private events stay in this browser; shareable ones are kept by the cloud for everyone using it.</p>
      </div>
      <div class="field">
        <label for="event-name">Event name</label>
        <input id="event-name" name="event-name" autocomplete="off" maxlength="25" aria-describedby="event-name-hint">
        <p id="event-name-hint" class="hint">Up to 25 letters, digits, ".", "-" or "_".</p>
      </div>
    </div>
    <fieldset>
      <legend>Event sharing settings</legend>
      <label><input type="radio" name="sharing" value="private" checked> Private</label>
      <label><input type="radio" name="sharing" value="shareable"> Shareable</label>
    </fieldset>
    <div class="field">
      <label for="event-json">Event JSON</label>
      <textarea id="event-json" name="event-json" rows="16" spellcheck="false" autocapitalize="off" aria-describedby="event-json-hint event-json-error"></textarea>
      <p id="event-json-hint" class="hint">Ctrl+Enter (or Cmd+Enter) invokes the function with this event.</p>
      <p id="event-json-error" class="error" hidden></p>
    </div>
    <fieldset>
      <legend>Invocation type</legend>
      <label><input type="radio" name="invocation-type" value="RequestResponse" checked> Synchronous (RequestResponse)</label>
      <label><input type="radio" name="invocation-type" value="Event"> Asynchronous (Event)</label>
    </fieldset>
    <div class="actions">
      <button type="submit" id="invoke" class="primary">Test</button>
      <button type="button" id="save">Save</button>
      <button type="button" id="delete">Delete saved event</button>
      <button type="button" id="format">Format JSON</button>
    </div>
    <p id="status" class="status" role="status" aria-live="polite"></p>
  </form>

  <section id="result" class="panel" aria-labelledby="result-heading" tabindex="-1">
    <h2 id="result-heading">Execution result</h2>
    <div id="result-body" aria-live="polite" aria-atomic="true"><p>No test run yet.</p></div>
  </section>
</main>
</body>
</html>
`;
