import { billingEs } from './areas/billing.es.ts';
import { catalogEs } from './areas/catalog.es.ts';
import { ordersEs } from './areas/orders.es.ts';
import { teamEs } from './areas/team.es.ts';
import { liveEs } from './areas/live.es.ts';
import { webhooksEs } from './areas/webhooks.es.ts';
import { importsEs } from './areas/imports.es.ts';
import type { MessageKey } from './messages.en.ts';

/** The app's words in Spanish: every key of messages.en.ts. */
export const messagesEs: Record<MessageKey, string> = {
  ...ordersEs,
  ...catalogEs,
  ...teamEs,
  ...billingEs,
  ...liveEs,
  ...webhooksEs,
  ...importsEs,
  'app.name': 'Keel',

  'header.skipToContent': 'Saltar al contenido',
  'header.language': 'Idioma',
  'header.organization': 'Organización',
  'header.chooseOrganization': 'Elige una organización',
  'header.accountMenu': 'Menú de la cuenta',

  'nav.label': 'Organización',
  'nav.stores': 'Tiendas',
  'nav.products': 'Productos',
  'nav.ordersBoard': 'Tablero',
  'nav.orders': 'Pedidos',
  'nav.members': 'Miembros',
  'nav.apiKeys': 'Claves de API',
  'nav.audit': 'Registro de auditoría',
  'nav.account': 'Tu cuenta',
  'nav.newOrganization': 'Nueva organización',

  'action.retry': 'Reintentar',
  'action.signOut': 'Cerrar sesión',

  'state.loading': 'Cargando…',
  'state.empty': 'Todavía no hay nada aquí.',
  'state.requestId': 'Referencia para soporte: {requestId}',

  'error.network': 'No se puede conectar con Keel. Comprueba tu conexión e inténtalo de nuevo.',
  'error.unknown': 'Algo falló (código {code}). Inténtalo de nuevo.',
  'error.unexpected': 'Algo falló. Recarga la página e inténtalo de nuevo.',

  'common.yes': 'Sí',
  'common.no': 'No',

  'field.name': 'Nombre',
  'field.email': 'Correo electrónico',
  'field.password': 'Contraseña',
  'field.newPassword': 'Nueva contraseña',
  'field.passwordHint': 'De 12 a 128 caracteres.',
  'field.organizationName': 'Nombre de la organización',
  'field.slug': 'Dirección',
  'field.slugHint': 'Minúsculas, números y guiones. Tus páginas estarán en /t/{slug}.',
  'field.currency': 'Moneda',
  'field.timezone': 'Zona horaria',
  'field.region': 'Región',
  'field.invalid': 'Este valor no es válido.',

  'role.owner': 'Propietario',
  'role.admin': 'Administrador',
  'role.member': 'Miembro',

  'status.PENDING': 'Pendiente',
  'status.CONFIRMED': 'Confirmado',
  'status.PACKED': 'Empaquetado',
  'status.SHIPPED': 'Enviado',
  'status.DELIVERED': 'Entregado',
  'status.CANCELLED': 'Cancelado',
  'status.RETURN_REQUESTED': 'Devolución solicitada',
  'status.RETURNED': 'Devuelto',

  'signIn.title': 'Inicia sesión en Keel',
  'signIn.submit': 'Iniciar sesión',
  'signIn.busy': 'Iniciando sesión…',
  'signIn.forgotPassword': '¿Olvidaste tu contraseña?',
  'signIn.noAccount': '¿Aún no tienes cuenta?',
  'signIn.signUp': 'Regístrate',

  'signUp.title': 'Crea tu cuenta',
  'signUp.submit': 'Registrarse',
  'signUp.busy': 'Creando tu cuenta…',
  'signUp.haveAccount': '¿Ya tienes cuenta?',
  'signUp.signIn': 'Inicia sesión',

  'forgotPassword.title': 'Restablece tu contraseña',
  'forgotPassword.description': 'Te enviaremos por correo un enlace para elegir una nueva contraseña.',
  'forgotPassword.submit': 'Enviarme un enlace',
  'forgotPassword.busy': 'Enviando…',
  'forgotPassword.sent': 'Si existe una cuenta para {email}, el enlace va en camino. Funciona una vez, durante una hora.',
  'forgotPassword.back': 'Volver a iniciar sesión',

  'resetPassword.title': 'Elige una nueva contraseña',
  'resetPassword.submit': 'Guardar la nueva contraseña',
  'resetPassword.busy': 'Guardando…',
  'resetPassword.done': 'Tu contraseña se ha cambiado y se han cerrado todas las sesiones de tu cuenta. Inicia sesión con la nueva contraseña.',
  'resetPassword.noToken': 'Esta página necesita el enlace del correo. Pide uno nuevo si caducó.',
  'resetPassword.signIn': 'Ir a iniciar sesión',

  'invitation.title': 'Invitación',
  'invitation.summary': 'Te invitan a unirte a {organization} como {role}. La invitación es para {email}.',
  'invitation.accept': 'Aceptar la invitación',
  'invitation.busy': 'Aceptando…',
  'invitation.noToken': 'Esta página necesita el enlace del correo de invitación.',
  'invitation.later': 'Ahora no',

  'createOrganization.title': 'Nueva organización',
  'createOrganization.firstTitle': 'Crea tu primera organización',
  'createOrganization.description': 'Una organización reúne tus tiendas, productos, pedidos y equipo. Serás su propietario.',
  'createOrganization.regionHint': 'Los datos de tu organización se guardan en esta región.',
  'createOrganization.submit': 'Crear la organización',
  'createOrganization.busy': 'Creando…',

  'account.title': 'Tu cuenta',
  'account.sessions': 'Dónde has iniciado sesión',
  'account.noSessions': 'No hay otras sesiones.',
  'account.device': 'Dispositivo',
  'account.signedInAt': 'Inicio de sesión',
  'account.expiresAt': 'Caduca',

  'notFound.title': 'Página no encontrada',
  'notFound.description': 'Esta página no existe o no tienes acceso a ella.',
  'notFound.home': 'Ir a tus organizaciones',

  'stores.title': 'Tiendas',


  'products.title': 'Productos',
  'products.sku': 'SKU',
  'products.name': 'Producto',
  'products.price': 'Precio',
  'products.active': 'A la venta',

  'orders.title': 'Pedidos',
  'orders.empty': 'Todavía no hay pedidos.',
  'orders.new': 'Nuevo pedido',
  'orders.number': 'Pedido',
  'orders.createdAt': 'Realizado',
  'orders.customer': 'Cliente',
  'orders.store': 'Tienda',
  'orders.status': 'Estado',
  'orders.total': 'Total',

  'board.title': 'Tablero de pedidos',
  'board.empty': 'No hay pedidos abiertos.',

  'order.title': 'Pedido n.º {number}',
  'order.lines': 'Líneas',
  'order.quantity': 'Cantidad',
  'order.unitPrice': 'Precio unitario',
  'order.lineTotal': 'Total de la línea',
  'order.subtotal': 'Subtotal',
  'order.discount': 'Descuento',
  'order.tax': 'Impuestos',
  'order.total': 'Total',
  'order.notes': 'Notas',
  'order.noNotes': 'Sin notas.',
  'order.history': 'Historial de estados',

  'newOrder.title': 'Nuevo pedido',
  'newOrder.products': 'Productos a la venta',
  'newOrder.noProducts': 'Ningún producto está a la venta: añade productos primero.',

  'members.title': 'Miembros',
  'members.empty': 'No hay miembros.',
  'members.role': 'Rol',
  'members.joinedAt': 'Se unió',

  'apiKeys.title': 'Claves de API',
  'apiKeys.empty': 'Todavía no hay claves de API.',
  'apiKeys.prefix': 'Clave',
  'apiKeys.createdAt': 'Creada',
  'apiKeys.lastUsedAt': 'Último uso',
  'apiKeys.never': 'Nunca',
  'apiKeys.state': 'Estado',
  'apiKeys.active': 'Activa',
  'apiKeys.revoked': 'Revocada',

  'audit.title': 'Registro de auditoría',
  'audit.empty': 'Todavía no hay nada registrado.',
  'audit.when': 'Cuándo',
  'audit.action': 'Acción',
  'audit.actor': 'Por',
  'audit.system': 'Keel',
  'audit.apiKey': 'Una clave de API',
  'audit.deletedUser': 'Una cuenta eliminada',
};
