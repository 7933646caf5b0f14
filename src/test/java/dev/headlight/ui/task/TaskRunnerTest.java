package dev.headlight.ui.task;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task runner's contract, through the same-thread runner (no FX toolkit). */
class TaskRunnerTest {
    @Test
    void aResultReachesTheSuccessHandlerAndTheStatusBarClears() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        List<Integer> got = new ArrayList<>();
        TaskHandle handle = runner.task("Counting…", ctx -> 42).onSuccess(got::add).submit();
        assertEquals("Counting…", runner.activityProperty().get());
        assertEquals(-1, runner.progressProperty().get(), "unknown amount of work until the task reports");
        assertEquals(1, runner.runningCountProperty().get());
        assertTrue(handle.isRunning());

        runner.runPending();
        assertEquals(List.of(42), got);
        assertFalse(handle.isRunning());
        assertEquals("", runner.activityProperty().get());
        assertEquals(0, runner.progressProperty().get());
        assertEquals(0, runner.runningCountProperty().get());
    }

    @Test
    void aFailureGoesToTheErrorSinkAsOneLineWithItsContext() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.immediate();
        runner.task("Opening…", ctx -> {
            throw new IOException("config.json: line 3, column 7:\n  unexpected end of input");
        }).failureContext("Could not open tiny").submit();
        assertEquals("Could not open tiny: config.json: line 3, column 7: unexpected end of input",
                runner.errors().message());
        runner.errors().dismiss();
        assertNull(runner.errors().message());
    }

    @Test
    void anOwnersFailureHandlerReplacesTheErrorSink() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.immediate();
        List<String> failures = new ArrayList<>();
        runner.task("Scanning…", ctx -> {
            throw new IllegalStateException("no cache");
        }).onFailure(t -> failures.add(t.getMessage())).submit();
        assertEquals(List.of("no cache"), failures);
        assertNull(runner.errors().message());
    }

    @Test
    void aCancelledTaskDeliversNothingButItsLateResultToTheDiscardHandler() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        List<String> events = new ArrayList<>();
        boolean[] sawCancel = {false};
        TaskHandle handle = runner.task("Opening…", ctx -> "model")
                .onSuccess(v -> events.add("success " + v))
                .onCancelled(() -> events.add("cancelled"))
                .onFinished(() -> events.add("finished"))
                .onDiscarded(v -> events.add("discarded " + v))
                .submit();
        handle.cancel();
        assertEquals(List.of("cancelled", "finished"), events, "cancelling is immediate for the UI");
        assertEquals(0, runner.runningCountProperty().get());
        assertTrue(handle.isCancelled());
        // the work had not started: it does not run at all
        runner.runPending();
        assertEquals(List.of("cancelled", "finished"), events);

        events.clear();
        TaskHandle[] second = new TaskHandle[1];
        second[0] = runner.task("Opening…", ctx -> {
            second[0].cancel(); // the user cancels while the work runs
            sawCancel[0] = ctx.isCancelled();
            return "late model";
        }).onSuccess(v -> events.add("success " + v)).onDiscarded(v -> events.add("discarded " + v)).submit();
        runner.runPending();
        assertTrue(sawCancel[0], "the work sees the cancellation");
        assertEquals(List.of("discarded late model"), events);
    }

    @Test
    void workThatGivesUpWithACancellationIsCancelledNotFailed() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.immediate();
        List<String> events = new ArrayList<>();
        TaskHandle h = runner.task("Pass…", ctx -> {
            throw new CancellationException();
        }).onCancelled(() -> events.add("cancelled")).submit();
        assertEquals(List.of("cancelled"), events);
        assertTrue(h.isCancelled());
        assertNull(runner.errors().message());
    }

    @Test
    void progressMessageAndPartialResultsReachTheUiWhileTheTaskRuns() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.immediate();
        List<Double> progress = new ArrayList<>();
        List<String> activity = new ArrayList<>();
        List<String> partials = new ArrayList<>();
        runner.progressProperty().addListener((o, a, b) -> progress.add(b.doubleValue()));
        runner.activityProperty().addListener((o, a, b) -> activity.add(b));
        runner.<String>task("Analysing…", (ctx, publish) -> {
            ctx.progress(1, 4);
            publish.accept("maps");
            ctx.message("Logit lens…");
            ctx.progress(4, 4);
            return "maps and lens";
        }).onPartial(partials::add).submit();
        assertEquals(List.of(-1.0, 0.25, 1.0, 0.0), progress);
        assertEquals(List.of("Analysing…", "Logit lens…", ""), activity);
        assertEquals(List.of("maps"), partials);
    }

    @Test
    void theStatusBarShowsTheNewestShownTaskAndItsCancelButton() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        TaskHandle load = runner.task("Opening gpt2…", ctx -> 1).userCancellable().submit();
        runner.task("Checking the tokenizer", ctx -> 2).quiet().submit();
        assertEquals("Opening gpt2…", runner.activityProperty().get(), "a quiet task is not shown");
        assertTrue(runner.cancellableProperty().get());
        assertEquals(2, runner.runningCountProperty().get());
        TaskHandle pass = runner.task("Analysing…", ctx -> 3).submit();
        assertEquals("Analysing…", runner.activityProperty().get());
        assertFalse(runner.cancellableProperty().get());
        runner.cancelShown();
        assertTrue(pass.isRunning(), "Cancel only stops a task that offers it");
        pass.cancel();
        assertEquals("Opening gpt2…", runner.activityProperty().get());
        runner.cancelShown();
        assertTrue(load.isCancelled());
        assertEquals("", runner.activityProperty().get());
    }

    @Test
    void anAnnouncementShowsUntilTheNextTask() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        runner.announce("Saved trace.safetensors");
        assertEquals("Saved trace.safetensors", runner.activityProperty().get());
        runner.task("Analysing…", ctx -> 1).submit();
        assertEquals("Analysing…", runner.activityProperty().get());
        runner.runPending();
        assertEquals("", runner.activityProperty().get(), "the note is not repeated after a later task");
    }

    @Test
    void scheduledActionsWaitForTheQueueAndCanBeCalledOff() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        List<String> ran = new ArrayList<>();
        Cancellable first = runner.schedule(Duration.ofMillis(70), () -> ran.add("first"));
        runner.schedule(Duration.ofMillis(70), () -> ran.add("second"));
        first.cancel();
        assertEquals(List.of(), ran);
        runner.runPending();
        assertEquals(List.of("second"), ran);

        SameThreadTaskRunner now = SameThreadTaskRunner.immediate();
        now.schedule(Duration.ofSeconds(5), () -> ran.add("now"));
        assertEquals(List.of("second", "now"), ran);
    }

    @Test
    void shutdownCancelsRunningTasksAndRefusesNewOnes() {
        SameThreadTaskRunner runner = SameThreadTaskRunner.deferred();
        List<String> events = new ArrayList<>();
        TaskHandle running = runner.task("Training…", ctx -> 1).onCancelled(() -> events.add("cancelled")).submit();
        runner.shutdown();
        assertTrue(running.isCancelled());
        TaskHandle late = runner.task("Late", ctx -> 2).onSuccess(v -> events.add("late")).submit();
        assertFalse(late.isRunning());
        runner.runPending();
        assertEquals(List.of("cancelled"), events);
    }

    @Test
    void anErrorMessageIsOneLineAndNamesTheInnermostCause() {
        ErrorSink sink = new ErrorSink();
        sink.report(null, new RuntimeException(new IOException("weights.safetensors: header   is\r\ncut short")));
        assertEquals("weights.safetensors: header is cut short", sink.message());
        sink.report("Could not save", new OutOfMemoryError());
        assertEquals("Could not save: not enough memory (start Headlight with a larger -Xmx)", sink.message());
        sink.report(null, new NullPointerException());
        assertEquals("NullPointerException", sink.message());
    }
}
