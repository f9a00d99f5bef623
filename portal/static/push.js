/* Subscribes this browser to Web Push from the notification settings page. */
(function () {
  var button = document.getElementById("push-aktifkan");
  var status = document.getElementById("push-status");
  if (!button) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = button.dataset.unsupported;
    button.hidden = true;
    return;
  }
  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }
  button.addEventListener("click", function () {
    navigator.serviceWorker.register("/staf/sw.js", {scope: "/staf/"}).then(function (reg) {
      return reg.pushManager.subscribe({userVisibleOnly: true,
                                        applicationServerKey: key(button.dataset.key)});
    }).then(function (subscription) {
      return fetch(button.dataset.url, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": button.dataset.csrf},
        body: JSON.stringify(subscription)});
    }).then(function (response) {
      status.textContent = response.ok ? button.dataset.done : button.dataset.failed;
    }).catch(function () { status.textContent = button.dataset.failed; });
  });
})();
