import type { billingEn } from './billing.en.ts';

/** Spanish words of the billing page: every key of billing.en.ts. */
export const billingEs: Record<keyof typeof billingEn, string> = {
  'nav.billing': 'Facturación',

  'billing.title': 'Facturación',
  'billing.description': 'El plan de {organization}, lo que usa del plan y los cambios de plan. Las fechas están en {timezone}.',
  'billing.plan.free': 'Gratis',
  'billing.plan.pro': 'Pro',
  'billing.plan.platinum': 'Platinum',

  'billing.current.title': 'Plan actual',
  'billing.current.plan': 'Plan {plan}',
  'billing.current.price': '{price} al mes',
  'billing.current.free': 'Gratis, sin fecha de fin.',
  'billing.current.renews': 'Se renueva el {date}.',
  'billing.current.since': 'El periodo actual empezó el {date}.',
  'billing.current.endsOn': '{plan} termina el {date}. Después la organización pasa a Gratis y conserva todos sus datos.',
  'billing.current.pending': 'Pasa a {plan} el {date}. Hasta entonces {current} sigue completo.',
  'billing.current.ended': 'La suscripción ha terminado: nadie puede usar la organización hasta que se elija un plan. Sus datos se conservan.',

  'billing.usage.title': 'Uso',
  'billing.usage.description': 'Lo que la organización usa de cada límite de su plan.',
  'billing.usage.of': '{used} de {limit}',
  'billing.usage.unlimited': '{used} · ilimitado',
  'billing.usage.notMeasured': 'Aún sin medir',
  'billing.usage.over': 'Por encima del límite: lo que existe se conserva, no se puede añadir más.',
  'billing.usage.measuredAt': 'Cifras de la región a las {date}.',
  'billing.limit.stores': 'Tiendas',
  'billing.limit.members': 'Miembros',
  'billing.limit.ordersPerMonth': 'Pedidos este mes',
  'billing.limit.importRowsPerMonth': 'Filas importadas este mes',
  'billing.limit.webhookEndpoints': 'Destinos de webhooks',
  'billing.limit.apiKeys': 'Claves de API',
  'billing.unlimited': 'Ilimitado',

  'billing.today.title': 'Hoy',
  'billing.today.orders.created': 'Pedidos creados',
  'billing.today.stores.created': 'Tiendas creadas',
  'billing.today.queue.messages': 'Eventos enviados',

  'billing.plans.title': 'Planes',
  'billing.plans.perMonth': '{price} / mes',
  'billing.plans.current': 'Plan actual',
  'billing.plans.upgrade': 'Mejorar a {plan}',
  'billing.plans.downgrade': 'Bajar a {plan}',
  'billing.plans.subscribe': 'Elegir {plan}',
  'billing.plans.empty': 'Ahora no se ofrece ningún plan.',

  'billing.upgrade.title': '¿Mejorar a {plan}?',
  'billing.upgrade.message': '{plan} se aplica de inmediato: se cobran {price} ahora por un mes que empieza hoy, y sus límites se aplican enseguida.',
  'billing.upgrade.messageFree': 'Gratis se aplica de inmediato y la organización puede volver a usarse, con sus datos como estaban.',
  'billing.upgrade.confirm': 'Mejorar ahora',
  'billing.subscribe.confirm': 'Elegir {plan}',
  'billing.upgrade.busy': 'Mejorando…',

  'billing.downgrade.title': '¿Bajar a {plan}?',
  'billing.downgrade.message': '{current} sigue completo hasta el {date}; después la organización pasa a {plan} y se aplican sus límites.',
  'billing.downgrade.confirm': 'Bajar al final del periodo',
  'billing.downgrade.busy': 'Programando…',
  'billing.downgrade.reduce': '{limit}: {used} en uso, {plan} permite {allowed}.',

  'billing.cancel.open': 'Cancelar la suscripción',
  'billing.cancel.title': '¿Cancelar el plan {plan}?',
  'billing.cancel.messageFree': 'Cancelar Gratis termina el acceso ahora: nadie puede usar la organización hasta que un propietario vuelva a elegir un plan. Sus datos se conservan.',
  'billing.cancel.messagePaid': 'El acceso completo a {plan} sigue hasta el {date}. Después la organización pasa a Gratis y conserva todos sus datos.',
  'billing.cancel.confirm': 'Cancelar la suscripción',
  'billing.cancel.busy': 'Cancelando…',
  'billing.cancel.keep': 'Mantener el plan',

  'billing.resume': 'Reanudar {plan}',
  'billing.resume.busy': 'Reanudando…',
} as const;
