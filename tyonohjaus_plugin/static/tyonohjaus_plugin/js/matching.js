// Matching board: while a run is queued or running, poll its state and reload when it ends.
// Without JavaScript the "Refresh" link does the same.
(() => {
  const status = document.querySelector("[data-tyonohjaus-run-status]");
  if (!status) return;
  const poll = async () => {
    try {
      const response = await fetch(status.dataset.url, { credentials: "same-origin" });
      const data = await response.json();
      if (data.state === "queued" || data.state === "running") {
        status.firstChild.textContent = `${status.dataset.runningLabel} ${data.label} (${data.seconds} s) `;
        window.setTimeout(poll, 2000);
      } else {
        window.location.reload();
      }
    } catch {
      window.setTimeout(poll, 5000);
    }
  };
  window.setTimeout(poll, 1000);
})();
