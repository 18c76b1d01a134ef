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

var CameraScan = Widget.extend({
    className: 'o_lot_camera',
    events: {
        'click .o_lot_camera_start': '_onStart',
        'click .o_lot_camera_stop': '_onStop',
    },

    init: function () {
        this._super.apply(this, arguments);
        this.reader = null;
        this.lastText = null;
        this.lastTime = 0;
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
        $('<video class="o_lot_camera_video hidden" playsinline="playsinline" muted="muted"/>')
            .appendTo(this.$el);
        return this._super.apply(this, arguments);
    },

    destroy: function () {
        this._stop();
        this._super.apply(this, arguments);
    },

    _isCameraAvailable: function () {
        return Boolean(window.isSecureContext && navigator.mediaDevices &&
                       navigator.mediaDevices.getUserMedia);
    },

    _setStatus: function (text) {
        this.$('.o_lot_camera_status').text(text || '');
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
            self.reader = self.reader || self._makeReader();
            var video = self.$('.o_lot_camera_video').removeClass('hidden')[0];
            self.$('.o_lot_camera_start').addClass('hidden');
            self.$('.o_lot_camera_stop').removeClass('hidden');
            return self.reader.decodeFromConstraints(
                {video: {facingMode: 'environment'}}, video,
                function (result) {
                    if (result) {
                        self._onDecoded(result.getText());
                    }
                });
        }).then(function () {
            self._setStatus(_t("Point the camera at the QR code or DataMatrix."));
        }, function (error) {
            self._stop();
            self._setStatus(_t("The camera could not be started: ") +
                            ((error && (error.message || error.name)) || error));
        });
    },

    _onDecoded: function (text) {
        var now = Date.now();
        if (text === this.lastText && now - this.lastTime < REPEAT_DELAY_MS) {
            return;
        }
        this.lastText = text;
        this.lastTime = now;
        this._setStatus(_t("Read: ") + text);
        // The same path as a hardware scanner: the form's barcode listener, then the matcher.
        core.bus.trigger('barcode_scanned', text, document.body);
    },

    _onStop: function () {
        this._stop();
        this._setStatus('');
    },

    _stop: function () {
        if (this.reader) {
            this.reader.reset();
        }
        this.$('.o_lot_camera_video').addClass('hidden');
        this.$('.o_lot_camera_stop').addClass('hidden');
        this.$('.o_lot_camera_start').removeClass('hidden');
    },
});

widgetRegistry.add('lot_camera_scan', CameraScan);

return CameraScan;
});
