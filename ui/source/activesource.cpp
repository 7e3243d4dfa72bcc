#include "ui/source/activesource.h"

namespace pipescope
{

void ActiveSource::setSource(EventSource *source)
{
    for (const QMetaObject::Connection &c : std::as_const(m_links))
        disconnect(c);
    m_links.clear();
    m_source = source;
    mirror();
    if (!source)
        return;
    // Each signal passes on after the copy is taken: whoever hears it reads state() as the source has it.
    m_links << connect(source, &EventSource::runStarted, this, [this] {
        mirror();
        Q_EMIT runStarted();
    });
    m_links << connect(source, &EventSource::eventsArrived, this, [this](const QVector<Event> &events) {
        mirror();
        Q_EMIT eventsArrived(events);
    });
    m_links << connect(source, &EventSource::countersSampled, this, [this] {
        mirror();
        Q_EMIT countersSampled();
    });
    m_links << connect(source, &EventSource::phaseChanged, this, [this] { mirror(); });
    m_links << connect(source, &EventSource::runFinished, this, [this](int outcome) {
        mirror();
        Q_EMIT runFinished(outcome);
    });
    m_links << connect(source, &EventSource::runReset, this, [this] {
        mirror();
        Q_EMIT runReset();
    });
    m_links << connect(source, &EventSource::stepRefused, this, &EventSource::stepRefused);
    m_links << connect(source, &EventSource::holdersChanged, this, [this] {
        mirror();
        Q_EMIT holdersChanged();
    });
    m_links << connect(source, &EventSource::processNoted, this, &EventSource::processNoted);
    m_links << connect(source, &EventSource::statusChanged, this, &EventSource::statusChanged);
}

void ActiveSource::mirror()
{
    m_state = m_source ? m_source->state() : RunState();
    setPhase(m_source ? m_source->phase() : Phase::Idle);
}

QString ActiveSource::title() const
{
    return m_source ? m_source->title() : QString();
}

bool ActiveSource::canStep(QString *why) const
{
    return m_source ? m_source->canStep(why) : EventSource::canStep(why);
}

bool ActiveSource::canPace(QString *why) const
{
    return m_source ? m_source->canPace(why) : EventSource::canPace(why);
}

bool ActiveSource::canPause(QString *why) const
{
    return m_source ? m_source->canPause(why) : EventSource::canPause(why);
}

double ActiveSource::elapsedSeconds() const
{
    return m_source ? m_source->elapsedSeconds() : 0;
}

QString ActiveSource::endText(int outcome) const
{
    return m_source ? m_source->endText(outcome) : EventSource::endText(outcome);
}

void ActiveSource::pause()
{
    if (m_source)
        m_source->pause();
}

void ActiveSource::resume()
{
    if (m_source)
        m_source->resume();
}

void ActiveSource::step()
{
    if (m_source)
        m_source->step();
}

void ActiveSource::stepProcess(int pid)
{
    if (m_source)
        m_source->stepProcess(pid);
}

void ActiveSource::setPace(int ms)
{
    if (m_source)
        m_source->setPace(ms);
}

void ActiveSource::fullSpeed()
{
    if (m_source)
        m_source->fullSpeed();
}

void ActiveSource::stop()
{
    if (m_source)
        m_source->stop();
}

void ActiveSource::reset()
{
    if (m_source)
        m_source->reset();
}

} // namespace pipescope
