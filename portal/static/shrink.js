// Shrink photos on the phone before they are uploaded: a 4 MB camera photo
// becomes a few hundred KB, and its EXIF (GPS included) never leaves the
// phone.  Optional: without JavaScript the server does the same after upload.
(function () {
  var input = document.getElementById("foto");
  if (!input || !window.DataTransfer || !window.Promise || !HTMLCanvasElement.prototype.toBlob) return;
  var MAX = 1600;
  var button = input.form.querySelector("button[type=submit]");

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    button.disabled = true;
    Promise.all(files.map(shrink)).then(function (shrunk) {
      var list = new DataTransfer();
      shrunk.forEach(function (file) { list.items.add(file); });
      input.files = list.files;
    }).then(done, done);
  });

  function done() { button.disabled = false; }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return new Promise(function (resolve) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      image.onload = function () {
        var scale = Math.min(1, MAX / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";  // transparent PNG areas become white, as on the server
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          // Keep the original when shrinking would not make it smaller.
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", 0.85);
      };
      image.src = url;
    });
  }
})();

// "Gunakan lokasi saya": fills Lintang/Bujur from the phone's position.
// Added by this script, so without JavaScript (or without geolocation) the
// citizen never sees a button that cannot work; the fields stay typeable.
(function () {
  var pair = document.getElementById("koordinat");
  var lat = document.getElementById("lat"), lon = document.getElementById("lon");
  if (!pair || !lat || !lon || !navigator.geolocation) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "locate";
  button.textContent = pair.getAttribute("data-label") || "Gunakan lokasi saya";
  var status = document.createElement("p");
  status.className = "hint";
  status.setAttribute("role", "status");
  pair.parentNode.insertBefore(button, pair);
  pair.parentNode.insertBefore(status, pair.nextSibling);
  button.addEventListener("click", function () {
    status.textContent = pair.getAttribute("data-wait") || "Mencari lokasi…";
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      status.textContent = (pair.getAttribute("data-done") || "Lokasi terisi: ± %m m.")
        .replace("%m", Math.round(position.coords.accuracy));
    }, function () {
      status.textContent = pair.getAttribute("data-failed") || "Lokasi tidak dapat dibaca; isi manual.";
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });
})();
