// pins.h: the Uno/Nano pin plan of a tongxin node, and the protocol channel each pin is.
// Changing a wire means changing this file only.
#pragma once
#include <Arduino.h>

// Capacitive soil probes on the analog inputs: channels m0-m3, raw = ADC counts 0-1023.
static const uint8_t SOIL_COUNT = 4;
static const uint8_t SOIL_PIN[SOIL_COUNT] = {A0, A1, A2, A3};

// HC-SR04 ultrasonic bin-level sensors: channels u0-u1, raw = distance in cm.
static const uint8_t SONAR_COUNT = 2;
static const uint8_t SONAR_TRIG[SONAR_COUNT] = {4, 6};
static const uint8_t SONAR_ECHO[SONAR_COUNT] = {5, 7};

// IR break-beam pairs, one per door (readings f0in/f0out, f1in/f1out). The receivers pull the line
// LOW while the beam is broken; the inputs use the internal pull-ups. A4/A5 serve as digital pins
// 18/19, so door 1 costs the I2C bus.
static const uint8_t DOOR_COUNT = 2;
static const uint8_t DOOR_OUTER[DOOR_COUNT] = {2, 18};
static const uint8_t DOOR_INNER[DOOR_COUNT] = {3, 19};

// Relays for lids and valves, active high: channels r0-r3, all off at boot.
static const uint8_t RELAY_COUNT = 4;
static const uint8_t RELAY_PIN[RELAY_COUNT] = {8, 9, 10, 11};

// The on-board LED blinks with the heartbeat: a glance at the board says the loop is running.
static const uint8_t ALIVE_LED = 13;
