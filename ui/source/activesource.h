#pragma once

#include "ui/source/eventsource.h"

#include <QList>
#include <QMetaObject>
#include <QPointer>

namespace pipescope
{

/// The one source the window shows, whichever it is: it passes on the
/// signals of the source set last and forwards the controls to it, and keeps a
/// copy of its state, so that panels built once (they keep a pointer to
/// state()) follow a scenario run, a watched pipeline or a traced program alike.
class ActiveSource : public EventSource
{
    Q_OBJECT
public:
    explicit ActiveSource(QObject *parent = nullptr) : EventSource(parent) { }

    /// Shows source from now on (null: nothing). The previous one is left as it is.
    void setSource(EventSource *source);
    EventSource *source() const { return m_source; }

    QString title() const override;
    bool canStep(QString *why = nullptr) const override;
    bool canPace(QString *why = nullptr) const override;
    bool canPause(QString *why = nullptr) const override;
    double elapsedSeconds() const override;
    QString endText(int outcome) const override;

public Q_SLOTS:
    void pause() override;
    void resume() override;
    void step() override;
    void stepProcess(int pid) override;
    void setPace(int ms) override;
    void fullSpeed() override;
    void stop() override;
    void reset() override;

private:
    /// Takes the source's state and phase as they are now.
    void mirror();

    QPointer<EventSource> m_source;
    QList<QMetaObject::Connection> m_links;
};

} // namespace pipescope
