/**
 * The drawn views of the window: tokens, model view (every head's thumbnail), head view, logit lens, head map,
 * weights, each a canvas or control that shows what its view model holds and reports clicks to the selection.
 *
 * <p>May use the ui package's view models and JavaFX, and the layers below for their result types; computes
 * nothing itself.
 */
package dev.headlight.ui.view;
