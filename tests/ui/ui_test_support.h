#pragma once

#include "base/virtual_clock.h"
#include "engine/engine.h"
#include "main_window.h"

#include <QStandardPaths>

#include <memory>

// A console window on a real engine driven by a VirtualClock.
struct ConsoleFixture {
    explicit ConsoleFixture(tai::EngineConfig config = {})
        : engine(std::make_unique<tai::Engine>(std::move(config), *clock)) {
        QStandardPaths::setTestModeEnabled(true);  // QSettings stay out of the user's config
        engine->start();
        window = std::make_unique<tai::ui::MainWindow>(*engine);
    }
    ~ConsoleFixture() {
        window.reset();
        engine->stop();
    }
    void advance(tai::Duration d) {
        engine->invoke([this, d] { clock->advanceBy(d); }).waitForFinished();
    }

    std::unique_ptr<tai::VirtualClock> clock =
        std::make_unique<tai::VirtualClock>(tai::TimePoint{std::chrono::seconds(1'767'225'600)});
    std::unique_ptr<tai::Engine> engine;
    std::unique_ptr<tai::ui::MainWindow> window;
};
