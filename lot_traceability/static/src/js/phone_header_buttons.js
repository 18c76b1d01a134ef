odoo.define('lot_traceability.phone_header_buttons', function (require) {
"use strict";
/**
 * On a phone, OCA's web_responsive gathers every header button of a form under one menu
 * (labelled "Task"): a recall team would not look there for Split, Apply or Start Recall.
 * On the addon's forms, the highlighted buttons (the screen's main action: oe_highlight or
 * btn-primary, e.g. the Scan screen's Open) stay buttons
 * beside that menu; the menu keeps the others and goes when it has none left. Without
 * web_responsive the header is Odoo's and nothing changes.
 */
var FormRenderer = require('web.FormRenderer');

// The forms of the addon (its own models, and the lot's form it extends).
var PREFIXES = ['stock.lot.', 'stock.assembly', 'stock.asset', 'stock.serial.', 'lot.traceability.'];
var MODELS = ['stock.production.lot'];

function isLotForm(model) {
    return _.contains(MODELS, model) || _.some(PREFIXES, function (prefix) {
        return model && model.indexOf(prefix) === 0;
    });
}

FormRenderer.include({
    _renderTagHeader: function (node) {
        var $statusbar = this._super.apply(this, arguments);
        if (!isLotForm(this.state && this.state.model)) {
            return $statusbar;
        }
        var $dropdown = $statusbar.find('.o_statusbar_buttons_dropdown');
        var $main = $dropdown.find(
            '.dropdown-menu > li > button.oe_highlight, .dropdown-menu > li > button.btn-primary');
        if (!$dropdown.length || !$main.length) {
            return $statusbar;
        }
        var $visible = $('<div>', {class: 'o_lot_phone_buttons hidden-md hidden-lg'});
        $main.each(function () {
            var $item = $(this).parent();
            $visible.append(this);  // the button keeps its click and its modifiers
            $item.remove();
        });
        $dropdown.before($visible);
        if (!$dropdown.find('.dropdown-menu > li').length) {
            $dropdown.remove();
        }
        return $statusbar;
    },
});

return {isLotForm: isLotForm};
});
