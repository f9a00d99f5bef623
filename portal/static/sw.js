/* The staff workspace's service worker: shows Web Push notices and opens
   their deep link when tapped. */
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {title: event.data.text()}; }
  event.waitUntil(self.registration.showNotification(data.title || "Aduan", {
    body: data.body || "", tag: data.tag, data: {url: data.url || "/staf/notifikasi"}
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
