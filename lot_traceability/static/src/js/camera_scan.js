// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
odoo.define('lot_traceability.camera_scan', function (require) {
"use strict";

/**
 * <widget name="lot_camera_scan"/>: scan QR codes and GS1 DataMatrix with the device's camera.
 *
 * The decoder (ZXing's JavaScript port, installed by the setup into static/lib) is loaded on the
 * first press. Each code read is handed to the form exactly as a hardware scanner's keystrokes
 * are (core.bus 'barcode_scanned'), so it goes through the form's barcode listener and the
 * one server-side matcher. Browsers give the camera only to secure pages (HTTPS or localhost):
 * elsewhere the widget shows a message instead of the button.
 */
var ajax = require('web.ajax');
var core = require('web.core');
var Widget = require('web.Widget');
var widgetRegistry = require('web.widget_registry');

var _t = core._t;
var DECODER_URL = '/lot_traceability/static/lib/zxing/zxing.min.js';
var REPEAT_DELAY_MS = 3000;  // the same code seen again within this delay is one scan
var RELEASE_DELAY_MS = 1000;  // a form re-rendered after a scan gets the running camera back

/**
 * The one running camera. A scan changes the form, which renders its widgets again: the new
 * widget adopts the camera (its <video> keeps playing); leaving the screen releases it.
 */
var camera = {reader: null, video: null, widget: null, timer: null, lastText: null,
              lastTime: 0};

function releaseCamera() {
    if (camera.reader) {
        camera.reader.reset();
    }
    camera.video = null;
    camera.widget = null;
}

function onDecoded(text) {
    var now = Date.now();
    if (text === camera.lastText && now - camera.lastTime < REPEAT_DELAY_MS) {
        return;
    }
    camera.lastText = text;
    camera.lastTime = now;
    if (camera.widget) {
        camera.widget._setStatus(_t("Read: ") + text);
    }
    // The same path as a hardware scanner: the form's barcode listener, then the matcher.
    core.bus.trigger('barcode_scanned', text, document.body);
}

var CameraScan = Widget.extend({
    className: 'o_lot_camera',
    events: {
        'click .o_lot_camera_start': '_onStart',
        'click .o_lot_camera_stop': '_onStop',
    },

    start: function () {
        if (!this._isCameraAvailable()) {
            $('<div class="alert alert-warning o_lot_camera_insecure" role="status"/>')
                .text(_t("The camera can only be used on a secure page: open Odoo over HTTPS " +
                         "(or on localhost) to scan with this device's camera. A barcode " +
                         "scanner or typing the code still works."))
                .appendTo(this.$el);
            return this._super.apply(this, arguments);
        }
        $('<button type="button" class="btn btn-default o_lot_camera_start"/>')
            .append($('<i class="fa fa-camera"/>'), ' ', _t("Scan with camera"))
            .appendTo(this.$el);
        $('<button type="button" class="btn btn-default o_lot_camera_stop hidden"/>')
            .text(_t("Stop camera")).appendTo(this.$el);
        $('<div class="o_lot_camera_status" role="status"/>').appendTo(this.$el);
        if (camera.video) {
            this._adopt();
        }
        return this._super.apply(this, arguments);
    },

    destroy: function () {
        if (camera.widget === this) {
            camera.widget = null;
            camera.timer = setTimeout(releaseCamera, RELEASE_DELAY_MS);
        }
        this._super.apply(this, arguments);
    },

    _isCameraAvailable: function () {
        return Boolean(window.isSecureContext && navigator.mediaDevices &&
                       navigator.mediaDevices.getUserMedia);
    },

    _setStatus: function (text) {
        this.$('.o_lot_camera_status').text(text || '');
    },

    _showRunning: function (running) {
        this.$('.o_lot_camera_start').toggleClass('hidden', running);
        this.$('.o_lot_camera_stop').toggleClass('hidden', !running);
    },

    /** Take over the running camera after the form was rendered again. */
    _adopt: function () {
        clearTimeout(camera.timer);
        camera.widget = this;
        this.$el.append(camera.video);
        camera.video.play();
        this._showRunning(true);
        this._setStatus(camera.lastText ? _t("Read: ") + camera.lastText :
                        _t("Point the camera at the QR code or DataMatrix."));
    },

    _makeReader: function () {
        var ZXing = window.ZXing;
        var hints = new Map();
        hints.set(ZXing.DecodeHintType.POSSIBLE_FORMATS,
                  [ZXing.BarcodeFormat.QR_CODE, ZXing.BarcodeFormat.DATA_MATRIX]);
        hints.set(ZXing.DecodeHintType.TRY_HARDER, true);
        return new ZXing.BrowserMultiFormatReader(hints, 200);
    },

    _onStart: function () {
        var self = this;
        this._setStatus(_t("Starting the camera..."));
        ajax.loadJS(DECODER_URL).then(function () {
            if (self.isDestroyed()) {
                return;
            }
            camera.reader = camera.reader || self._makeReader();
            camera.video = $('<video class="o_lot_camera_video" playsinline="playsinline" ' +
                             'muted="muted"/>').appendTo(self.$el)[0];
            camera.widget = self;
            camera.lastText = null;
            self._showRunning(true);
            return camera.reader.decodeFromConstraints(
                {video: {facingMode: 'environment'}}, camera.video,
                function (result) {
                    if (result) {
                        onDecoded(result.getText());
                    }
                });
        }).then(function () {
            self._setStatus(_t("Point the camera at the QR code or DataMatrix."));
        }, function (error) {
            self._onStop();
            self._setStatus(_t("The camera could not be started: ") +
                            ((error && (error.message || error.name)) || error));
        });
    },

    _onStop: function () {
        $(camera.video).remove();
        releaseCamera();
        this._showRunning(false);
        this._setStatus('');
    },
});

widgetRegistry.add('lot_camera_scan', CameraScan);

return CameraScan;
});
